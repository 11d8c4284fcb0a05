package org.provproxy.backend;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Variable;
import org.apache.hc.client5.http.auth.AuthScheme;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.BasicScheme;
import org.apache.hc.client5.http.impl.auth.BasicSchemeFactory;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/**
 * Downloads a device profile file from the Device Management System with the device's own credentials, by HTTP
 * Digest or Basic as the tenant says, with Apache HttpClient 5's async client ({@link BackendHttp}: no thread waits
 * for the DMS): each request gets its own context and credentials provider, no credential
 * is shared between users and none ever appears in a URI. What is shared is the DMS host's last Digest challenge
 * ({@link DigestChallenges}, per tenant): a download answers it with its own credentials at once, which saves the
 * 401 round trip of each Digest sign-in.
 */
@Component("deviceFileClient")
public class DeviceFileClient {

    /** Context attribute: the tenant whose dms-hosts a redirect must stay within. */
    private static final String TENANT = DeviceFileClient.class.getName() + ".tenant";

    private final BackendHttp backendHttp;
    private final CloseableHttpAsyncClient client;
    private final RequestConfig digestOnly;
    private final RequestConfig basicOnly;
    private final DigestChallenges digestChallenges;

    public DeviceFileClient(ProvisioningProperties properties, BackendHttp backendHttp,
                            DigestChallenges digestChallenges) {
        Timeout timeout = Timeout.of(properties.getBackendTimeout());
        this.digestChallenges = digestChallenges;
        this.backendHttp = backendHttp;
        this.client = backendHttp.client(builder -> builder
                .setRedirectStrategy(new DmsHostsOnly())
                // Digest answered by CountedDigestScheme, which keeps each host's challenge for the next download
                .setDefaultAuthSchemeRegistry(RegistryBuilder.<AuthSchemeFactory>create()
                        .register(StandardAuthScheme.DIGEST, digestChallenges.schemeFactory(TENANT))
                        .register(StandardAuthScheme.BASIC, BasicSchemeFactory.INSTANCE)
                        .build()));
        RequestConfig.Builder base = RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout);
        // Only the configured scheme is ever answered, so a Digest tenant never sends a password in Basic form.
        this.digestOnly = base.setTargetPreferredAuthSchemes(List.of(StandardAuthScheme.DIGEST)).build();
        this.basicOnly = base.setTargetPreferredAuthSchemes(List.of(StandardAuthScheme.BASIC)).build();
    }

    /**
     * GETs the device file of {@code call} with the device's credentials, Digest or Basic as the tenant says: its
     * answer, once it came.
     */
    public CompletableFuture<BackendAnswer> fetch(@Variable("backendCall") BackendCall call,
                                                  @Variable("signIn") SignIn signIn) {
        URI uri = URI.create(call.url());
        boolean digest = signIn.tenant().useDigestAuth();
        UsernamePasswordCredentials credentials = new UsernamePasswordCredentials(call.user(),
                (call.password() == null ? "" : call.password()).toCharArray());
        HttpHost host = HttpHost.create(uri);

        BasicCredentialsProvider provider = new BasicCredentialsProvider();
        provider.setCredentials(new AuthScope(host), credentials);
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(TENANT, signIn.tenant());
        context.setCredentialsProvider(provider);
        context.setRequestConfig(digest ? digestOnly : basicOnly);
        if (!digest) {
            // Basic needs no challenge: send it with the first request and save a round trip
            BasicScheme basic = new BasicScheme();
            basic.initPreemptive(credentials);
            context.resetAuthExchange(host, basic);
        } else {
            // the host's last challenge, answered with this device's credentials: no 401 round trip first
            AuthScheme kept = digestChallenges.primed(signIn.tenant(), host, credentials);
            if (kept != null) {
                context.resetAuthExchange(host, kept);
            }
        }

        SimpleRequestBuilder get = SimpleRequestBuilder.get(uri)
                .addHeader(HttpHeaders.ACCEPT, "application/xml, text/xml, */*")
                .addHeader(HttpHeaders.ACCEPT_ENCODING, XsiClient.ACCEPT_ENCODING);
        return backendHttp.execute(client, SimpleRequestProducer.create(get.build()), context, call.deadline());
    }

    /**
     * The device's URL was checked against the tenant's dms-hosts (walk/DeviceChoice); a redirect is followed only
     * to such a host too. Elsewhere, the redirect answer stands (a refusal, 502).
     */
    static final class DmsHostsOnly extends DefaultRedirectStrategy {

        @Override
        public boolean isRedirectAllowed(HttpHost currentTarget, HttpHost newTarget, HttpRequest redirect,
                                         HttpContext context) {
            return super.isRedirectAllowed(currentTarget, newTarget, redirect, context)
                    && context.getAttribute(TENANT) instanceof TenantSettings tenant
                    && tenant.allowsDmsHost(newTarget.getSchemeName(), newTarget.getHostName(), newTarget.getPort());
        }
    }
}
