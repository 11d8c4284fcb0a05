package org.provproxy.backend;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Variable;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/**
 * Calls XSI-Actions with the sign-in's own Basic credentials (or the tenant's directory credentials, when the call
 * carries them), asynchronously ({@link BackendHttp}): the URL is
 * built per request (tenant XSI URL + encoded user id + resource, {@link BackendCalls}), so no user id or
 * credential is ever part of an endpoint URI; the Authorization travels as a header only. Redirects are not
 * followed (the user's credentials go to XSI's own host only), cookies not kept.
 */
@Component("xsiClient")
public class XsiClient {

    /** What the classic client asked for: an XSI answer may come compressed (read by BoundedAnswerConsumer). */
    static final String ACCEPT_ENCODING = "gzip, x-gzip, deflate";

    private final BackendHttp backendHttp;
    private final CloseableHttpAsyncClient client;
    private final RequestConfig config;

    public XsiClient(ProvisioningProperties properties, BackendHttp backendHttp) {
        this.backendHttp = backendHttp;
        this.client = backendHttp.client(builder -> builder.disableRedirectHandling());
        Timeout timeout = Timeout.of(properties.getBackendTimeout());
        this.config = RequestConfig.custom().setConnectionRequestTimeout(timeout).setResponseTimeout(timeout)
                .setRedirectsEnabled(false).build();
    }

    /**
     * The XSI call of {@code call} (GET of a resource, click-to-dial's POST, a voice message's PUT or DELETE): its
     * answer, once it came.
     */
    public CompletableFuture<BackendAnswer> call(@Variable("backendCall") BackendCall call,
                                                 @Variable("signIn") SignIn signIn) {
        URI uri = URI.create(call.query() == null ? call.url() : call.url() + "?" + call.query());
        SimpleRequestBuilder request = SimpleRequestBuilder.create(call.method()).setUri(uri)
                .addHeader(HttpHeaders.AUTHORIZATION, call.user() != null
                        ? basic(call.user(), call.password()) : signIn.xsi().authorization())
                .addHeader(HttpHeaders.ACCEPT, "application/xml")
                .addHeader(HttpHeaders.ACCEPT_ENCODING, ACCEPT_ENCODING);
        if (call.content() != null) {
            // a document to add or change (a BroadWorks Anywhere location), as XSI's PUT and POST take it
            request.setBody(call.content(), ContentType.create("application/xml", StandardCharsets.UTF_8));
        } else if (!"GET".equals(call.method())) {
            // an empty body (Content-Length: 0), as camel-http sent it (click-to-dial); XSI's PUT and DELETE of a
            // voice message take no content either
            request.setBody(new byte[0], null);
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(config);
        return backendHttp.execute(client, SimpleRequestProducer.create(request.build()), context, call.deadline());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
