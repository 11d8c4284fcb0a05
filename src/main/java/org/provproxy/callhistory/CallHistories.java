package org.provproxy.callhistory;

import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.provproxy.account.AccountVersion;
import org.provproxy.account.AccountVersions;
import org.provproxy.account.ContentVersions;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.Caller;
import org.provproxy.request.RequestParameters;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.walk.Walk;
import org.provproxy.walk.WalkDocumentBuilder;
import org.springframework.stereotype.Component;

/**
 * The call history web service's own steps (routes/reply/answer-call-history.yaml): the request's {@code since},
 * the call logs shaped by the tenant's call-history.xsl as XML or JSON, and the answer's version.
 *
 * <p>The ETag is the SHA-256 of the bytes sent, so the XML and the JSON of the same calls have different ones (two
 * representations, two strong validators; the answer varies by Accept), and so has every {@code since}. Last-Modified
 * is when this replica first gave this content to this request (user, format, since): kept per request in a
 * bounded map, so a history that changes and changes back is newer, never older. XSI's call logs carry no time of
 * their own that would do: a deleted entry leaves the newest time as it was.
 */
@Component("callHistories")
public class CallHistories {

    private static final String STYLESHEET = "call-history.xsl";

    private final Stylesheets stylesheets;
    private final WalkDocumentBuilder walkDocuments;
    private final long maxParameterBytes;
    private final ContentVersions<Key> versions;

    public CallHistories(Stylesheets stylesheets, WalkDocumentBuilder walkDocuments,
                         ProvisioningProperties properties) {
        this.stylesheets = stylesheets;
        this.walkDocuments = walkDocuments;
        this.maxParameterBytes = properties.getMaxParameterSize().toBytes();
        this.versions = new ContentVersions<>(properties.getCache().getMaxEntries());
    }

    /** The request's {@code since} (query or form); absent or empty: the whole history. */
    public CallHistoryQuery query(Message in) {
        RequestParameters parameters = RequestParameters.of(
                in instanceof PlatformHttpMessage http ? http.getRequest() : null, maxParameterBytes);
        return CallHistoryQuery.parse(parameters.value("since"));
    }

    /**
     * The call logs of the walk (part call-logs, absent when the user lacks the service: an empty history) shaped
     * by the tenant's call-history.xsl, in the format the app asked for, only the calls after {@code since}.
     */
    public CallHistory shaped(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk,
                              @Variable("historyQuery") CallHistoryQuery query) throws Exception {
        boolean json = signIn.caller().json();
        byte[] body = shape(signIn, walk, json, query);
        ContentVersions.Version version = versions.of(
                new Key(signIn.tenant().key(), signIn.userId(), json, query.sinceParameter()), body);
        return new CallHistory(body, version.etag(), version.since());
    }

    /** The walk's call logs through the tenant's call-history.xsl, as JSON or XML (also validate's replay). */
    public byte[] shape(SignIn signIn, Walk walk, boolean json, CallHistoryQuery query) throws Exception {
        walk.requireSucceeded();
        return stylesheets.transformToBytes(signIn.tenant().key(), STYLESHEET, walkDocuments.build(signIn, walk),
                Map.of("format", json ? "json" : "xml", "since", query.sinceParameter()));
    }

    /** The answer's version: ETag and Last-Modified; 304 when the app's validators match (If-None-Match first). */
    public AccountVersion version(@Variable("callHistory") CallHistory history, @Variable("caller") Caller caller) {
        return AccountVersions.of(history.etag(), history.lastModified(), caller);
    }

    /** The bytes to send. */
    public byte[] body(@Variable("callHistory") CallHistory history) {
        return history.body();
    }

    /** Forgets every Last-Modified (tests). */
    public void clear() {
        versions.clear();
    }


    private record Key(String tenant, String userId, boolean json, String since) {
    }

}
