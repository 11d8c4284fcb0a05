package org.provproxy.reply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.provproxy.account.AccountVersion;
import org.provproxy.contacts.Directory;
import org.provproxy.failure.Failure;
import org.provproxy.observe.RequestObservation;
import org.provproxy.request.Caller;
import org.provproxy.request.RequestKind;
import org.provproxy.request.SignIn;
import org.provproxy.walk.Walk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The headers of an answer that leaves (routes/reply/replies.yaml), and its one log line. A bean rather than a
 * {@code setHeader} per header: reading ${variable.x.y} makes Camel build a bean expression per evaluation, which
 * cost a twentieth of a sign-in's CPU, and these run for every answer. The log line carries the request's
 * observation as key-value fields (observe/RequestObservation): JSON members in a structured log format, not printed
 * by the text pattern.
 */
@Component("replies")
public class Replies {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final XmlMapper XML = new XmlMapper();

    /**
     * A 200 with shaped XML: Content-Type (UTF-8 XML), X-Request-Id, the version's ETag and Last-Modified, and
     * Cache-Control no-store unless it is a global answer (an account carries SIP credentials and the token: no
     * cache on the way may keep it; a global answer carries neither, only the %account[X-xsi-token]% placeholder).
     */
    public void xml(Message message, @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                    @Variable("version") AccountVersion version, @Variable("walk") Walk walk,
                    @Variable("failure") Failure failure, @Variable("observation") RequestObservation observation) {
        message.setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        validators(message, caller, signIn, version);
        RequestObservation.fields(LOG.atInfo(), observation, signIn, 200, failure).log(
                "provisioned tenant={} user={} platform={} device={}{}", signIn.tenant().key(), signIn.userId(),
                signIn.platform(), walk != null ? walk.deviceName() : null, failure != null ? failure.note() : "");
    }

    /**
     * A 200 with the contacts JSON of a directory: Content-Type (UTF-8 JSON), gzip when the app takes it (one ETag
     * for both: the content is the same), X-Request-Id, ETag, Last-Modified, Cache-Control private, no-cache (see
     * {@link #validators}).
     */
    public void json(Message message, @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                     @Variable("version") AccountVersion version, @Variable("directory") Directory directory,
                     @Variable("observation") RequestObservation observation) {
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        // the directory's gzip copy, compressed once per walk. Content-Encoding goes on the servlet answer itself:
        // on the message, Camel's HTTP binding would compress the body again for every answer
        boolean gzip = caller.gzip() && caller.markGzip();
        if (gzip) {
            message.setBody(directory.gzip());
        }
        message.setHeader("Vary", "Accept-Encoding");
        validators(message, caller, signIn, version);
        if (directory.stale() && observation != null) {
            observation.servedStale();
        }
        RequestObservation.fields(LOG.atInfo(), observation, signIn, 200, null).log(
                "contacts tenant={} user={} directory={} bytes={}{}{}", signIn.tenant().key(), signIn.userId(),
                directory.key(), directory.json().length, gzip ? " gzip=" + directory.gzip().length : "",
                directory.stale() ? " stale: XSI failing" : "");
    }

    /**
     * A 200 of a subscriber service offering XML and JSON (call history, voicemail): the body as its stylesheet
     * serialized it for the caller's format (Accept), Content-Type to match, X-Request-Id, the version's ETag and
     * Last-Modified when it has them, Cache-Control private, no-cache; and the request's log line.
     */
    public void service(Message message, @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                        @Variable("version") AccountVersion version,
                        @Variable("observation") RequestObservation observation) {
        message.setHeader(Exchange.CONTENT_TYPE, caller.json() ? "application/json; charset=UTF-8"
                : "application/xml; charset=UTF-8");
        message.setHeader("Vary", "Accept");
        validators(message, caller, signIn, version);
        RequestObservation.fields(LOG.atInfo(), observation, signIn, 200, null).log("{} tenant={} user={}",
                signIn.kind().answer(), signIn.tenant().key(), signIn.userId());
    }

    /**
     * The answer of an action that worked (the body: a result record such as {@code <result><message>}), as XML,
     * or as JSON ({@code {"message": …}}) when the app asks for it (Accept): Content-Type, X-Request-Id, Vary, and
     * Cache-Control no-store, since it is about this one request.
     */
    public void result(Message message, @Variable("caller") Caller caller) throws JsonProcessingException {
        Object result = message.getBody();
        message.setBody(caller.json() ? JSON.writeValueAsBytes(result) : XML.writeValueAsBytes(result));
        message.setHeader(Exchange.CONTENT_TYPE, caller.json() ? "application/json; charset=UTF-8"
                : "application/xml; charset=UTF-8");
        message.setHeader("Vary", "Accept");
        message.setHeader("X-Request-Id", caller.requestId());
        message.setHeader("Cache-Control", "no-store");
    }

    /**
     * The answer of a change that answers the new state (a call feature, a BroadWorks Anywhere location, as XSI
     * reads it now), shaped already for the caller's format (the body: XML or JSON bytes): Content-Type to match,
     * Vary, X-Request-Id, Cache-Control no-store with no validators (it is about this one request), and the
     * request's log line (the change itself is logged where it is made).
     */
    public void changed(Message message, @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                        @Variable("observation") RequestObservation observation) {
        message.setHeader(Exchange.CONTENT_TYPE, caller.json() ? "application/json; charset=UTF-8"
                : "application/xml; charset=UTF-8");
        message.setHeader("Vary", "Accept");
        message.setHeader("X-Request-Id", caller.requestId());
        message.setHeader("Cache-Control", "no-store");
        RequestObservation.fields(LOG.atInfo(), observation, signIn, 200, null).log("{} change tenant={} user={}",
                signIn.kind().answer(), signIn.tenant().key(), signIn.userId());
    }

    /** A 304 (no body): the app's stored answer still stands. An account's 304 is no-store too. */
    public void notModified(Message message, @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                            @Variable("version") AccountVersion version, @Variable("failure") Failure failure,
                            @Variable("observation") RequestObservation observation) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
        validators(message, caller, signIn, version);
        message.setBody(null);
        RequestObservation.fields(LOG.atInfo(), observation, signIn, 304, failure).log(
                "not modified tenant={} user={} platform={}{}", signIn != null ? signIn.tenant().key() : null,
                signIn != null ? signIn.userId() : null, signIn != null ? signIn.platform() : null,
                failure != null ? failure.note() : "");
    }

    private static void validators(Message message, Caller caller, SignIn signIn, AccountVersion version) {
        if (caller != null) {
            message.setHeader("X-Request-Id", caller.requestId());
        }
        if (version != null && version.etag() != null) {
            message.setHeader("ETag", version.etag());
        }
        if (version != null && version.lastModified() != null) {
            message.setHeader("Last-Modified", version.lastModified());
        }
        // also when the request failed before it was read (no sign-in): only a global answer may be kept; the
        // contacts of an enterprise may be kept by the app's own HTTP cache, which then asks with If-None-Match
        if (signIn != null && signIn.kind().service()) {
            message.setHeader("Cache-Control", "private, no-cache");
        } else if (signIn == null || signIn.kind() != RequestKind.GLOBAL) {
            message.setHeader("Cache-Control", "no-store");
        }
    }
}
