package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.ops.PagedDirectoryCase;
import org.provproxy.ops.SampleCase;

/**
 * The sample runner's own pieces, without a proxy: the JSON comparison of expected.json, what a JSON or
 * {@code /services/} answer must carry, and {@code prime=true}.
 */
class SampleRunnerTest {

    private static final String ETAG = "\"" + "a".repeat(43) + "\"";
    private static final String LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";

    @TempDir
    Path samples;

    @Test
    void jsonIsComparedStrictly() {
        String expected = """
                [{"contactId":"1","displayName":"Alice","contactEntries":[{"entryId":"e1","uri":"1001"}]},
                 {"contactId":"2","displayName":"Bob"}]""";
        AnswerAssertions.assertSameJson(expected,
                "[{\"displayName\":\"Alice\",\"contactId\":\"1\",\"contactEntries\":[{\"uri\":\"1001\",\"entryId\":\"e1\"}]},"
                        + "{\"contactId\":\"2\",\"displayName\":\"Bob\"}]");
        // another order of the array, a key left out or added, another value, another type
        for (String actual : new String[] {
            "[{\"contactId\":\"2\",\"displayName\":\"Bob\"},"
                    + "{\"contactId\":\"1\",\"displayName\":\"Alice\",\"contactEntries\":[{\"entryId\":\"e1\",\"uri\":\"1001\"}]}]",
            "[{\"contactId\":\"1\",\"displayName\":\"Alice\",\"contactEntries\":[{\"entryId\":\"e1\"}]},"
                    + "{\"contactId\":\"2\",\"displayName\":\"Bob\"}]",
            "[{\"contactId\":\"1\",\"displayName\":\"Alice\",\"contactEntries\":[{\"entryId\":\"e1\",\"uri\":\"1001\"}]},"
                    + "{\"contactId\":\"2\",\"displayName\":\"Bob\",\"company\":\"\"}]",
            "[{\"contactId\":\"1\",\"displayName\":\"Alice\",\"contactEntries\":[{\"entryId\":\"e1\",\"uri\":\"1002\"}]},"
                    + "{\"contactId\":\"2\",\"displayName\":\"Bob\"}]",
            "[{\"contactId\":1,\"displayName\":\"Alice\",\"contactEntries\":[{\"entryId\":\"e1\",\"uri\":\"1001\"}]},"
                    + "{\"contactId\":\"2\",\"displayName\":\"Bob\"}]",
            "{\"contacts\":[]}"}) {
            assertThatThrownBy(() -> AnswerAssertions.assertSameJson(expected, actual)).as(actual)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("answer differs");
        }
    }

    @Test
    void jsonMustBeWellFormed() {
        for (String actual : new String[] {"[{\"a\":\"1\",\"a\":\"2\"}]", "[{\"a\":\"1\"}] trailing", "[{a:'1'}]", ""}) {
            assertThatThrownBy(() -> AnswerAssertions.assertSameJson("[{\"a\":\"1\"}]", actual)).as(actual)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("no well-formed JSON");
        }
    }

    @Test
    void aServicesAnswerIsUtf8JsonWithValidatorsAndPrivateNoCache() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(Map.of("Content-Type", "application/json;charset=UTF-8", "ETag", ETAG,
                "Last-Modified", LAST_MODIFIED, "Cache-Control", "private, no-cache", "X-Request-Id", "r1"));
        AnswerAssertions.assertWellFormedAnswer(response("/services/contacts", 200, headers, "[]"), true);
        Map<String, String> notModified = new TreeMap<>(headers);
        notModified.remove("Content-Type");
        AnswerAssertions.assertWellFormedAnswer(response("/services/contacts", 304, notModified, ""), true);

        // XML where JSON is expected, no charset, a validator or the cache header missing, a body no JSON
        for (Map.Entry<String, String> wrong : Map.of("Content-Type", "application/xml;charset=UTF-8",
                "Content-Type ", "application/json", "ETag", "", "Last-Modified", "", "Cache-Control", "no-store")
                .entrySet()) {
            Map<String, String> changed = new TreeMap<>(headers);
            changed.put(wrong.getKey().trim(), wrong.getValue());
            changed.values().removeIf(String::isEmpty);
            assertThatThrownBy(() -> AnswerAssertions.assertWellFormedAnswer(
                    response("/services/contacts", 200, changed, "[]"), true)).as(wrong.toString())
                    .isInstanceOf(AssertionError.class);
        }
        assertThatThrownBy(() -> AnswerAssertions.assertWellFormedAnswer(
                response("/services/contacts", 200, headers, "[{]"), true)).isInstanceOf(AssertionError.class);
        // a JSON answer where the case expects XML
        assertThatThrownBy(() -> AnswerAssertions.assertWellFormedAnswer(
                response("/services/contacts", 200, headers, "[]"), false)).isInstanceOf(AssertionError.class);
    }

    @Test
    void errorsOfAJsonEndpointStayXml() {
        Map<String, String> headers = Map.of("Content-Type", "application/xml;charset=UTF-8", "X-Request-Id", "r1");
        AnswerAssertions.assertWellFormedAnswer(response("/services/contacts", 403, headers,
                "<error><message>Wrong user name or password.</message></error>"), true);
        assertThatThrownBy(() -> AnswerAssertions.assertWellFormedAnswer(response("/services/contacts", 403,
                Map.of("Content-Type", "application/json;charset=UTF-8", "X-Request-Id", "r1"), "{}"), true))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void primeSendsTheRequestWithoutValidatorsThenFillsThemIn() throws IOException {
        Path folder = samples.resolve("primed");
        PagedDirectoryCase.write(folder, Map.of("request.properties", """
                path=/services/contacts
                prime=true
                param.username=alice
                header.If-None-Match=${etag}
                header.If-Modified-Since=${last-modified}
                header.Accept-Language=de
                """, "expected.properties", "status=304\nheader.ETag=${etag}\n"));
        SampleCall call = SampleCall.of(SampleCase.load(folder), null);

        SampleCall first = call.unprimed();
        assertThat(first.headers()).containsOnlyKeys("Accept-Language");
        assertThat(first.params()).isEqualTo(Map.of("username", "alice"));

        SampleCall primed = call.primedBy(response("/services/contacts", 200,
                Map.of("ETag", ETAG, "Last-Modified", LAST_MODIFIED), "[]"));
        assertThat(primed.headers()).isEqualTo(Map.of("If-None-Match", ETAG, "If-Modified-Since", LAST_MODIFIED,
                "Accept-Language", "de"));
        assertThat(primed.etag()).isEqualTo(ETAG);
        assertThat(primed.lastModified()).isEqualTo(LAST_MODIFIED);

        assertThatThrownBy(() -> call.primedBy(response("/services/contacts", 503, Map.of("ETag", ETAG), "")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("must answer 200, got 503");
        assertThatThrownBy(() -> call.primedBy(response("/services/contacts", 200, Map.of("ETag", ETAG), "[]")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("If-Modified-Since");
    }

    /** A canned answer of the proxy to a GET of {@code path}. */
    private static HttpResponse<byte[]> response(String path, int status, Map<String, String> headers, String body) {
        HttpHeaders httpHeaders = HttpHeaders.of(headers.entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))), (a, b) -> true);
        URI uri = URI.create("http://127.0.0.1:1" + path);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpResponse<>() {
            @Override public int statusCode() { return status; }
            @Override public HttpRequest request() { return HttpRequest.newBuilder(uri).build(); }
            @Override public Optional<HttpResponse<byte[]>> previousResponse() { return Optional.empty(); }
            @Override public HttpHeaders headers() { return httpHeaders; }
            @Override public byte[] body() { return bytes; }
            @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
            @Override public URI uri() { return uri; }
            @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
        };
    }
}
