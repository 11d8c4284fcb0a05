package org.provproxy.voicemail;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.apache.camel.Variable;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCache;
import org.provproxy.backend.BackendCall;
import org.provproxy.backend.BackendCalls;
import org.provproxy.backend.BackendFailures;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Marking a voice message read or unread and deleting it (routes/api/voicemail.yaml): the message id from the
 * request path (validated: only ids this proxy hands out), the XSI call ({@code PUT …/VoiceMessagingMessages/<id>/
 * MarkAsRead|MarkAsUnread}, {@code DELETE …/VoiceMessagingMessages/<id>}, never cached), what XSI's answer means,
 * and the localized result. After XSI answered, the user's kept list and summary are forgotten, so the next list
 * shows the change (or that the message is gone).
 */
@Component("voicemailActions")
public class VoicemailActions {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");

    private final BackendCalls calls;
    private final BackendCache cache;
    private final BackendFailures failures;
    private final MessageSource messages;

    public VoicemailActions(BackendCalls calls, BackendCache cache, BackendFailures failures, MessageSource messages) {
        this.calls = calls;
        this.cache = cache;
        this.failures = failures;
        this.messages = messages;
    }

    /** What the app asks for, held as variable {@code voicemailAction}. */
    public record VoicemailAction(Kind kind, String id) {
    }

    /** The actions, each with its XSI method and resource below the message. */
    public enum Kind {
        READ("PUT", "/MarkAsRead", "mark-read"),
        UNREAD("PUT", "/MarkAsUnread", "mark-unread"),
        DELETE("DELETE", "", "delete");

        private final String method;
        private final String resource;
        private final String name;

        Kind(String method, String resource, String name) {
            this.method = method;
            this.resource = resource;
            this.name = name;
        }

        /** As logged: mark-read, mark-unread, delete. */
        public String logName() {
            return name;
        }
    }

    /**
     * The action {@code kind} (read, unread, delete) on the message named in the request path
     * ({@code /services/voicemail/<id>} or {@code /services/voicemail/<id>/<kind>}): {@code voicemail-bad-id} (400)
     * unless the id is one this proxy hands out. Read from the path as the request named it, never from a header or parameter.
     */
    public VoicemailAction action(@Variable("caller") Caller caller, String kind) {
        String[] segments = caller.path().split("/");
        // "", "services", "voicemail", <id>[, <kind>]
        String id = segments.length > 3 ? segments[3] : null;
        return new VoicemailAction(Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), AudioLinks.requireId(id));
    }

    /** The XSI call of the action: an empty PUT or DELETE, never cached. */
    public BackendCall call(@Variable("signIn") SignIn signIn, @Variable("voicemailAction") VoicemailAction action) {
        return calls.xsiAction(signIn, action.kind().method,
                Voicemails.MESSAGES + "/" + action.id() + action.kind().resource);
    }

    /**
     * What XSI answered: a 2xx is done (logged once); 404 the message is gone; 403 to a delete, the platform does
     * not allow deleting; anything else as any XSI answer (401 wrong credentials, 5xx unavailable, ...). Whatever
     * the answer, the user's kept list and summary are forgotten: XSI may have changed the mailbox (or said the
     * message is gone), so the next list is read anew.
     */
    public void done(@Variable("signIn") SignIn signIn, @Variable("voicemailAction") VoicemailAction action,
                     @Variable("backendCall") BackendCall call, @Variable("backendAnswer") BackendAnswer answer) {
        cache.forget(signIn.xsiCacheKey(Voicemails.MESSAGES), signIn.xsiCacheKey(Voicemails.SUMMARY));
        int status = answer.status();
        if (status >= 200 && status < 300) {
            LOG.info("voicemail {} tenant={} user={} message={}", action.kind().logName(), signIn.tenant().key(),
                    signIn.userId(), action.id());
            return;
        }
        if (status == 404) {
            throw new ProvisioningFailure(FailureKind.VOICEMAIL_MESSAGE_GONE, "XSI " + call.resource()
                    + " answered 404: message " + action.id() + " is gone");
        }
        if (status == 403 && action.kind() == Kind.DELETE) {
            throw new ProvisioningFailure(FailureKind.VOICEMAIL_DELETE_FORBIDDEN, "XSI " + call.resource()
                    + " answered 403: the platform does not allow deleting voice messages");
        }
        failures.raise(call, answer);
    }

    /** The answer of an action that worked: {@code <result><message>…</message></result>}, localized. */
    public Result result(@Variable("caller") Caller caller, @Variable("voicemailAction") VoicemailAction action) {
        return new Result(messages.getMessage("action.voicemail-" + action.kind().name().toLowerCase(
                java.util.Locale.ROOT), null, caller.locale()));
    }

    /** {@code <result><message>…</message></result>}, as the dial action's. */
    @JacksonXmlRootElement(localName = "result")
    public record Result(String message) {
    }
}
