package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Two proxy instances with the same configuration and nothing shared (as behind a load balancer; the second runs
 * in its own JVM): an account got from one is validated by the other, with the same ETag and Last-Modified, so
 * 304 works whichever replica the app reaches.
 */
class TwoReplicasTest extends ProxyTestSupport {

    private static Process other;
    private static int otherPort;

    @BeforeAll
    static void startSecondReplica() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            otherPort = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProvisioningProxyApplication.class.getName()));
        for (String property : ProxyTestSupport.class.getAnnotation(SpringBootTest.class).properties()) {
            command.add("--" + property);
        }
        for (String tenant : tenants()) {
            command.add("--provisioning.tenants." + tenant + ".xsi-url=" + BACKEND.xsiUrl());
        }
        command.add("--server.port=" + otherPort);
        other = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/second-replica.log")).start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> !other.isAlive() || ready(otherPort));
        assertThat(other.isAlive()).as("second replica runs, see target/second-replica.log").isTrue();
    }

    /** The refresh route answers (400: no token), so the proxy serves, not only its web server. */
    private static boolean ready(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port + "/provisioning/account/refresh").toURL().openConnection();
            return connection.getResponseCode() == 400;
        } catch (IOException notYet) {
            return false;
        }
    }

    @AfterAll
    static void stopSecondReplica() {
        other.destroy();
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

        ProxyClient second = new ProxyClient(otherPort);
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
