package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * What never reaches a route (refused by the web server or by Spring before any endpoint) is answered like every
 * other failure: {@code <error><message>} in the caller's language, with a request id, never the server's own
 * page. Samples cover the unknown path (404), the wrong method (405) and the body that is not a form (415).
 */
class RefusedRequestsTest extends ProxyTestSupport {

    private static final String BIG_PASSWORD = "x".repeat(64 * 1024);

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> post(String pathAndQuery, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyLargerThanAnyFormIs413InTheLanguageOfTheQuery() throws Exception {
        BACKEND.server().resetRequests();
        HttpResponse<byte[]> response = post("/provisioning/account?locale=de",
                HttpRequest.BodyPublishers.ofString("username=alice&password=" + BIG_PASSWORD));

        assertThat(response.statusCode()).isEqualTo(413);
        AnswerAssertions.assertWellFormedAnswer(response);
        AnswerAssertions.assertSameXml("<error><message>Die Anfrage ist zu gro\u00df. Bitte wenden Sie sich an Ihren "
                + "Anbieter.</message></error>", body(response));
        assertThat(BACKEND.server().getAllServeEvents()).as("XSI is not called").isEmpty();
    }

    @Test
    void aChunkedBodyIsHeldToTheSameLimit() throws Exception {
        byte[] big = ("username=alice&password=" + BIG_PASSWORD).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = post("/provisioning/account",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertThat(response.statusCode()).isEqualTo(413);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(body(response)).contains("The request is too large.");
    }

    @Test
    void aChunkedFormOfNormalSizeSignsIn() throws Exception {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        byte[] form = "cloud_username=alice%40acme.example&cloud_password=x-fake-portal-alice&cloud_id=acme&platform=iOS"
                .getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = post("/provisioning/account",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)));

        assertThat(response.statusCode()).as(body(response)).isEqualTo(200);
        assertThat(body(response)).contains("<username>");
    }

    @Test
    void aRequestTheWebServerCannotParseIs400AsXml() {
        // the request line is refused before any header is read: no language known, so English
        RawHttp.Answer answer = RawHttp.send(port, "GET /provisioning/account?x=<a|b> HTTP/1.1\r\nHost: proxy\r\n"
                + "Accept-Language: de\r\nConnection: close\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).get().asString().startsWith("application/xml")
                .containsIgnoringCase("charset=UTF-8");
        assertThat(answer.header("X-Request-Id")).get().asString().isNotBlank();
        AnswerAssertions.assertSameXml("<error><message>The request could not be read. Please contact your service "
                + "provider.</message></error>", answer.body());
    }

    @Test
    void theCallersRequestIdComesBackAndTheQueryPicksTheLanguage() {
        HttpResponse<byte[]> response = proxy().send("GET", "/provisioning/nothing-here", Map.of("locale", "es"),
                Map.of("X-Request-Id", "app-4711"));

        assertThat(response.statusCode()).isEqualTo(404);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("app-4711");
        assertThat(body(response)).contains("Esta direcci\u00f3n de aprovisionamiento no existe.");
    }

    @Test
    void aWrongMethodOnTheDialActionSaysWhichAreAllowed() {
        HttpResponse<byte[]> response = proxy().send("PUT", "/provisioning/actions/call-from-other-phone",
                Map.of("number", "1001"), Map.of());

        assertThat(response.statusCode()).isEqualTo(405);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    /** HEAD would walk XSI like GET and drop the answer: refused before anything is resolved, saying what is taken. */
    @Test
    void aHeadRequestIs405WithAllowAndNeverCallsXsi() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        BACKEND.server().resetRequests();
        for (String path : new String[] {"/provisioning/account", "/provisioning/account/refresh", "/provisioning/global",
            "/provisioning/actions/call-from-other-phone"}) {
            HttpResponse<byte[]> response = proxy().send("HEAD", path, sample.params(), Map.of("X-Request-Id", "head-1"));

            assertThat(response.statusCode()).as(path).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(path).hasValue("GET, POST");
            assertThat(response.headers().firstValue("X-Request-Id")).hasValue("head-1");
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/xml");
            assertThat(response.body()).as("a HEAD answer has no body").isEmpty();
        }
        assertThat(BACKEND.server().getAllServeEvents()).as("XSI is not called").isEmpty();
        // a HEAD answer cannot carry the <error>; a refused method with a body shows the message it would say
        HttpResponse<byte[]> get = proxy().send("PUT", "/provisioning/account", sample.params(), Map.of());
        AnswerAssertions.assertSameXml("<error><message>This provisioning address does not accept this kind of "
                + "request. Please contact your service provider.</message></error>", body(get));
    }

    /** Headers up to server.max-http-request-header-size (16KB) are read; larger ones are refused as <error>. */
    @Test
    void requestHeadersAreBoundedAt16KbAndTheirRefusalIsXml() {
        HttpResponse<byte[]> big = proxy().send("GET", "/provisioning/nothing-here", Map.of(),
                Map.of("Cookie", "session=" + "c".repeat(12 * 1024), "Accept-Language", "de"));
        assertThat(big.statusCode()).as("a 12KB header is read").isEqualTo(404);
        assertThat(body(big)).contains("Diese Einrichtungsadresse gibt es nicht.");

        RawHttp.Answer tooBig = RawHttp.send(port, "GET /provisioning/account HTTP/1.1\r\nHost: proxy\r\n"
                + "Cookie: session=" + "c".repeat(17 * 1024) + "\r\nConnection: close\r\n");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.header("Content-Type")).get().asString().startsWith("application/xml");
        assertThat(tooBig.header("X-Request-Id")).isPresent();
        AnswerAssertions.assertSameXml("<error><message>The request could not be read. Please contact your service "
                + "provider.</message></error>", tooBig.body());
    }

    @Test
    void theErrorPageItselfIsNoEndpoint() {
        HttpResponse<byte[]> response = proxy().send("GET", "/error", Map.of(), Map.of());

        assertThat(response.statusCode()).isEqualTo(404);
        AnswerAssertions.assertWellFormedAnswer(response);
    }
}
