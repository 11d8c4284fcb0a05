package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.provproxy.request.RequestKind;
import org.provproxy.request.SignIn;
import org.provproxy.request.SignIns;
import org.provproxy.voicemail.AudioLinks;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The download's memory bound: a proxy in a JVM of its own with a 64 MB heap ({@code -Xmx64m}, which the proxy
 * itself takes a good part of) streams a 5 MB voice message (6.9 MB of base64 in XSI's XML) byte for byte, three
 * at once: a proxy that held a message whole (its base64 as text, the decoded audio, a copy to answer) would need
 * about 25 MB per download and run out of memory. The proxy's log must not name an OutOfMemoryError.
 */
class VoicemailAudioMemoryTest extends ProxyTestSupport {

    private static final Path LOG = Path.of("target/voicemail-audio-64m.log");
    private static Process small;
    private static int smallPort;

    @Autowired
    AudioLinks audioLinks;

    @Autowired
    SignIns signIns;

    @BeforeAll
    static void startProxyWithSmallHeap() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            smallPort = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ProvisioningProxyApplication.class.getName()));
        for (String property : ProxyTestSupport.class.getAnnotation(SpringBootTest.class).properties()) {
            if (!property.startsWith("provisioning.backend-timeout=")) {
                command.add("--" + property);
            }
        }
        for (String tenant : tenants()) {
            command.add("--provisioning.tenants." + tenant + ".xsi-url=" + BACKEND.xsiUrl());
        }
        command.add("--server.port=" + smallPort);
        // a 5 MB message takes longer than the suite's 1 s per read only on a very busy machine
        command.add("--provisioning.backend-timeout=10s");
        command.add("--provisioning.request-deadline=20s");
        small = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> !small.isAlive() || ready(smallPort));
        assertThat(small.isAlive()).as("the proxy runs with -Xmx64m, see " + LOG).isTrue();
    }

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
    static void stop() {
        if (small != null) {
            small.destroy();
        }
    }

    @Test
    void aProxyWith64MegabytesOfHeapStreamsFiveMegabyteMessagesByteForByte() throws Exception {
        BACKEND.server().resetAll();
        byte[] audio = VoicemailAudioTest.audio(VoicemailAudioTest.SIZE, 64);
        VoicemailAudioTest.serve(VoicemailAudioTest.ID, VoicemailAudioTest.voiceMessage("WAV", audio));
        SignIn signIn = signIns.of(null, RequestKind.VOICEMAIL, "acme", VoicemailAudioTest.ALICE,
                VoicemailAudioTest.PASSWORD, "mobile", null, null, null);
        String url = audioLinks.url(signIn, VoicemailAudioTest.ID).substring(PUBLIC_URL.length());

        for (int round = 0; round < 2; round++) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> downloads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                downloads.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return VoicemailAudioTest.download(smallPort, url, Map.of());
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (var download : downloads) {
                HttpResponse<byte[]> answer = download.get();
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
                assertThat(Arrays.equals(answer.body(), audio)).as("byte for byte").isTrue();
            }
        }

        assertThat(small.isAlive()).as("still running, see " + LOG).isTrue();
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(log).contains("voicemail audio tenant=acme user=alice@acme.example message="
                + VoicemailAudioTest.ID + " status=200 type=audio/wav bytes=" + VoicemailAudioTest.SIZE);
        assertThat(log).as("the link never reaches the log").doesNotContain(url.substring(url.indexOf("link=") + 5));
    }
}
