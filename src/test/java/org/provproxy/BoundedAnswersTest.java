package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * XSI and DMS answers are read up to provisioning.backend-max-answer-size (5 MB by default) after decompression:
 * a larger one is a 502 {@code <error>}, transient like any backend trouble, and never held in memory whole.
 */
class BoundedAnswersTest extends ProxyTestSupport {

    private static final String PROFILE = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/profile";
    private static final int MB = 1024 * 1024;

    /** The sample's own profile with {@code padding} bytes of comment inside: valid, usable, and that large. */
    private static byte[] profile(SampleCase sample, int padding) {
        try {
            String profile = Files.readString(sample.folder().resolve("backend/xsi/profile.xml"),
                    StandardCharsets.ISO_8859_1);
            return profile.replace("</Profile>", "<!--" + "x".repeat(padding) + "--></Profile>")
                    .getBytes(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void serveProfile(byte[] body, boolean gzipped) {
        var answer = aResponse().withStatus(200).withHeader("Content-Type", "application/xml;charset=ISO-8859-1")
                .withBody(gzipped ? gzip(body) : body);
        if (gzipped) {
            answer = answer.withHeader("Content-Encoding", "gzip");
        }
        BACKEND.server().stubFor(get(urlPathEqualTo(PROFILE)).atPriority(0).willReturn(answer));
    }

    private HttpResponse<byte[]> signIn(SampleCase sample) {
        return proxy().send(SampleCall.of(sample, tokens));
    }

    private static void assertTooLarge(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(502);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("<error><message>The phone system sent an answer too large to read.");
    }

    @Test
    void anXsiAnswerLargerThanTheLimitIsRefused() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        serveProfile(profile(sample, 6 * MB), false);

        assertTooLarge(signIn(sample));
    }

    @Test
    void aCompressedAnswerIsMeasuredAsItInflates() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        byte[] large = profile(sample, 60 * MB);
        assertThat(gzip(large).length).as("a small answer on the wire").isLessThan(MB / 4);

        serveProfile(profile(sample, MB), true);
        assertThat(signIn(sample).statusCode()).as("compressed answers within the limit are read").isEqualTo(200);

        serveProfile(large, true);
        assertTooLarge(signIn(sample));
    }

    @Test
    void aDeviceFileLargerThanTheLimitIsRefused() throws IOException {
        SampleCase sample = sample("basic-dms");
        BACKEND.serve(sample);
        String file = Files.readString(sample.folder().resolve("backend/dms/uc-one-mobile/mobile-config.xml"));
        BACKEND.server().stubFor(get(urlPathEqualTo("/dms/uc-one-mobile/mobile-config.xml")).atPriority(0)
                .withBasicAuth(sample.backend("dms.user"), sample.backend("dms.password"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(file.replace("</config>", "<!--" + "x".repeat(6 * MB) + "--></config>"))));

        assertTooLarge(signIn(sample));
    }

    @Test
    void onReProvisioningItIsTransientTrouble() {
        // with a validator: 304, the app keeps its config
        SampleCase changed = sample("refresh-changed");
        BACKEND.serve(changed);
        serveProfile(profile(changed, 6 * MB), false);
        HttpResponse<byte[]> notModified = signIn(changed);
        assertThat(notModified.statusCode()).isEqualTo(304);
        AnswerAssertions.assertWellFormedAnswer(notModified);

        // without: try again later, never the logout status
        SampleCase unchanged = sample("refresh-unchanged");
        BACKEND.serve(unchanged);
        serveProfile(profile(unchanged, 6 * MB), false);
        HttpResponse<byte[]> unavailable = signIn(unchanged);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("30");
        AnswerAssertions.assertWellFormedAnswer(unavailable);
    }
}
