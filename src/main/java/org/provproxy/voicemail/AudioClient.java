package org.provproxy.voicemail;

import java.io.IOException;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.SignIn;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one client that downloads voice messages from XSI, streaming: the walks' client
 * ({@link org.provproxy.backend.BackendHttp}) reads whole answers up to backend-max-answer-size, which an audio
 * message (base64 in XML, tens of MB) must not be. A blocking HttpClient 5 (the answer is read by the thread that
 * writes it to the app, at the app's pace) with a pool of its own, so long downloads never take the walks'
 * connections. Same rules as the walks': no redirects, the user's Basic credentials as a header of this request
 * only (nothing cached), connect and each read bounded by backend-timeout (so the first byte too), no retries.
 */
@Component("audioClient")
public class AudioClient implements DisposableBean {

    /** Idle pooled connections are checked before reuse after this long, and closed after {@link #MAX_IDLE}. */
    private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofSeconds(2);
    private static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);

    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;

    public AudioClient(ProvisioningProperties properties) {
        Timeout timeout = Timeout.of(properties.getBackendTimeout());
        int perHost = properties.getVoicemail().getAudioConnectionsPerHost();
        connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .setValidateAfterInactivity(CHECK_AFTER_IDLE)
                        .build())
                .setMaxConnPerRoute(perHost)
                .setMaxConnTotal(perHost * 4)
                .build();
        client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAuthCaching()
                .disableCookieManagement()
                .disableAutomaticRetries()
                // the answer is counted and bounded as it arrives; a compressed one would be bounded only after
                // inflating, so none is asked for
                .disableContentCompression()
                .evictIdleConnections(MAX_IDLE)
                .build();
    }

    /**
     * Sends {@code GET <user>/VoiceMessagingMessages/<id>} with the sign-in's credentials and returns XSI's answer
     * with its body unread: the caller reads and closes it.
     */
    public ClassicHttpResponse message(SignIn signIn, String id) throws IOException {
        HttpGet get = new HttpGet(signIn.xsi().userUrl() + "/VoiceMessagingMessages/" + AudioLinks.requireId(id));
        get.setHeader("Authorization", signIn.xsi().authorization());
        get.setHeader("Accept", "application/xml");
        return client.executeOpen(null, get, HttpClientContext.create());
    }

    @Override
    public void destroy() {
        client.close(CloseMode.GRACEFUL);
        connections.close(CloseMode.GRACEFUL);
    }
}
