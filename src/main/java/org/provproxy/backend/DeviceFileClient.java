package org.provproxy.backend;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.hc.client5.http.auth.AuthScheme;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.BasicScheme;
import org.apache.hc.client5.http.impl.auth.BasicSchemeFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings;
import org.provproxy.request.SignIn;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Downloads a device profile file from the Device Management System with the device's own credentials, by HTTP
 * Digest or Basic as the tenant says. camel-http cannot carry per-request credentials for Digest, so this one
 * step uses Apache HttpClient 5 directly: each request gets its own context and credentials provider, no credential
 * is shared between users and none ever appears in a URI. What is shared is the DMS host's last Digest challenge
 * ({@link DigestChallenges}, per tenant): a download answers it with its own credentials at once, which saves the
 * 401 round trip of each Digest sign-in.
 */
@Component("deviceFileClient")
public class DeviceFileClient implements DisposableBean {

    /** Context attribute: the tenant whose dms-hosts a redirect must stay within. */
    private static final String TENANT = DeviceFileClient.class.getName() + ".tenant";

    private final CloseableHttpClient client;
    private final RequestConfig digestOnly;
    private final RequestConfig basicOnly;
    private final DigestChallenges digestChallenges;

    public DeviceFileClient(ProvisioningProperties properties, BackendHttp backendHttp,
                            DigestChallenges digestChallenges) {
        Timeout timeout = Timeout.of(properties.getBackendTimeout());
        this.digestChallenges = digestChallenges;
        this.client = backendHttp.configure(HttpClients.custom())
                .setConnectionManager(backendHttp.connectionManager())
                .setRedirectStrategy(new DmsHostsOnly())
                // Digest answered by CountedDigestScheme, which keeps each host's challenge for the next download
                .setDefaultAuthSchemeRegistry(RegistryBuilder.<AuthSchemeFactory>create()
                        .register(StandardAuthScheme.DIGEST, digestChallenges.schemeFactory(TENANT))
                        .register(StandardAuthScheme.BASIC, BasicSchemeFactory.INSTANCE)
                        .build())
                .disableCookieManagement()
                .build();
        RequestConfig.Builder base = RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout);
        // Only the configured scheme is ever answered, so a Digest tenant never sends a password in Basic form.
        this.digestOnly = base.setTargetPreferredAuthSchemes(List.of(StandardAuthScheme.DIGEST)).build();
        this.basicOnly = base.setTargetPreferredAuthSchemes(List.of(StandardAuthScheme.BASIC)).build();
    }

    /**
     * GETs the device file of {@code call} with the device's credentials, Digest or Basic as the tenant says;
     * leaves the status in header {@link Exchange#HTTP_RESPONSE_CODE}, the Content-Type and the body bytes on the
     * message.
     */
    public void fetch(Message message, @Variable("backendCall") BackendCall call, @Variable("signIn") SignIn signIn)
            throws IOException {
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

        HttpGet get = new HttpGet(uri);
        get.setHeader(HttpHeaders.ACCEPT, "application/xml, text/xml, */*");
        get.setHeader(BackendHttp.DEADLINE_HEADER, call.deadline());
        client.execute(host, get, context, response -> {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.getCode());
            Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
            message.setHeader(Exchange.CONTENT_TYPE, contentType != null ? contentType.getValue() : null);
            Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
            message.setHeader(HttpHeaders.RETRY_AFTER, retryAfter != null ? retryAfter.getValue() : null);
            // read already, up to provisioning.backend-max-answer-size (BackendHttp)
            message.setBody(response.getEntity() != null ? EntityUtils.toByteArray(response.getEntity()) : new byte[0]);
            return null;
        });
    }

    @Override
    public void destroy() throws IOException {
        client.close();
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
