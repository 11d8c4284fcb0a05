package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * Two proxy instances with the same configuration and nothing shared (as behind a load balancer; the second runs
 * in its own JVM): an account got from one is validated by the other, with the same ETag and Last-Modified, so
 * 304 works whichever replica the app reaches.
 */
class TwoReplicasTest extends ProxyTestSupport {

    private static ProxyProcess other;

    @BeforeAll
    static void startSecondReplica() throws IOException {
        other = ProxyProcess.start(List.of(), List.of(), Path.of("target/second-replica.log"));
    }

    @AfterAll
    static void stopSecondReplica() {
        other.stop();
    }

    @Test
    void bothReplicasAgreeOnTheVersionOfAnAccount() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        HttpResponse<byte[]> initial = proxy().send("GET", "/provisioning/account", sample.params(), Map.of());
        assertThat(initial.statusCode()).isEqualTo(200);
        String token = token(initial);
        String etag = initial.headers().firstValue("ETag").orElseThrow();
        String lastModified = initial.headers().firstValue("Last-Modified").orElseThrow();

        ProxyClient second = new ProxyClient(other.port());
        HttpResponse<byte[]> refreshed = second.send("GET", "/provisioning/account/refresh", Map.of("token", token), Map.of());
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(refreshed.headers().firstValue("ETag")).hasValue(etag);
        assertThat(refreshed.headers().firstValue("Last-Modified")).hasValue(lastModified);
        assertThat(token(refreshed)).as("unchanged account keeps its token").isEqualTo(token);

        assertThat(second.send("GET", "/provisioning/account/refresh", Map.of("token", token),
                Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(proxy().send("GET", "/provisioning/account/refresh", Map.of("token", token),
                Map.of("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
    }

    private static String token(HttpResponse<byte[]> response) {
        Matcher m = Pattern.compile("<X-xsi-token>([^<]+)</X-xsi-token>")
                .matcher(new String(response.body(), StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
