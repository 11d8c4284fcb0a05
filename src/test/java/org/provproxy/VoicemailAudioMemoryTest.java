package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.provproxy.request.RequestKind;
import org.provproxy.request.SignIn;
import org.provproxy.request.SignIns;
import org.provproxy.voicemail.AudioLinks;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The download's memory bound: a proxy in a JVM of its own with a 64 MB heap ({@code -Xmx64m}, which the proxy
 * itself takes a good part of) streams a 5 MB voice message (6.9 MB of base64 in XSI's XML) byte for byte, three
 * at once: a proxy that held a message whole (its base64 as text, the decoded audio, a copy to answer) would need
 * about 25 MB per download and run out of memory. The proxy's log must not name an OutOfMemoryError.
 */
class VoicemailAudioMemoryTest extends ProxyTestSupport {

    private static final Path LOG = Path.of("target/voicemail-audio-64m.log");
    private static ProxyProcess small;

    @Autowired
    AudioLinks audioLinks;

    @Autowired
    SignIns signIns;

    @BeforeAll
    static void startProxyWithSmallHeap() throws IOException {
        // a 5 MB message takes longer than the suite's 1 s per read only on a very busy machine
        small = ProxyProcess.start(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--provisioning.backend-timeout=10s", "--provisioning.request-deadline=20s"), LOG);
    }

    @AfterAll
    static void stop() {
        if (small != null) {
            small.stop();
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
                        return VoicemailAudioTest.download(small.port(), url, Map.of());
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

        assertThat(small.alive()).as("still running, see " + LOG).isTrue();
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(log).contains("voicemail audio tenant=acme user=alice@acme.example message="
                + VoicemailAudioTest.ID + " status=200 type=audio/wav bytes=" + VoicemailAudioTest.SIZE);
        assertThat(log).as("the link never reaches the log").doesNotContain(url.substring(url.indexOf("link=") + 5));
    }
}
