package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.json.JSONException;
import org.provproxy.account.AccountTokens;
import org.provproxy.ops.SampleCase;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.DefaultNodeMatcher;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.ElementSelectors;

/** What every answer of the proxy must look like, and the comparison with a sample's expected answer. */
final class AnswerAssertions {

    static final String TOKEN_PLACEHOLDER = "${token}";
    /** In an expected answer: the sealed audio link of a voice message, new in every answer. */
    static final String LINK_PLACEHOLDER = "${link}";
    /** A voice message's audio URL in an answer (XML, or JSON, which may escape its slashes): id and link. */
    private static final Pattern AUDIO_LINK = Pattern.compile(
            "/services\\\\?/voicemail\\\\?/([A-Za-z0-9._:-]+)\\\\?/audio\\?link=([A-Za-z0-9._-]+)");
    /** The voicemail actions' paths: their answers carry no validators. */
    private static final Pattern VOICEMAIL_ACTION = Pattern.compile("/services/voicemail/[^/]+(/read|/unread|/delete)?");
    /** A call feature's change (PUT, or POST with _method=PUT): as an action, its answer is about this request. */
    private static final Pattern FEATURE_CHANGE = Pattern.compile("/services/features/[^/]+");
    /** A change of a BroadWorks Anywhere location: an action too, its answer never kept. */
    private static final Pattern ANYWHERE_LOCATION_ACTION = Pattern.compile("/services/features/anywhere/locations(/.*)?");
    private static final Pattern TOKEN = Pattern.compile("<X-xsi-token>([^<]*)</X-xsi-token>");
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AnswerAssertions() {
    }

    /**
     * Status, headers and body as the sample expects. A {@code ${token}} in expected.xml stands for the sealed
     * token: the actual one must open with the proxy's keys and hold the user's tenant, id and password (and be
     * the very token sent, or a new one, when expected.properties says {@code token=same|new}). With expected.json
     * the body is compared as JSON instead ({@link #assertSameJson}).
     */
    static void assertAnswer(SampleCall call, HttpResponse<byte[]> response, AccountTokens tokens) {
        SampleCase sample = call.sample();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as("status of %s, body %s", sample.name(), body)
                .isEqualTo(sample.expectedStatus());
        for (Map.Entry<String, String> header : sample.expectedHeaders().entrySet()) {
            String expected = header.getValue();
            expected = call.etag() == null ? expected : expected.replace(SampleCall.ETAG, call.etag());
            expected = call.lastModified() == null ? expected
                    : expected.replace(SampleCall.LAST_MODIFIED, call.lastModified());
            assertThat(response.headers().firstValue(header.getKey())).as("header %s", header.getKey())
                    .hasValue(expected);
        }
        Optional<Path> json = sample.expectedJson();
        assertThat(json.isPresent() && Files.exists(sample.expectedBody()))
                .as("%s has both expected.xml and expected.json", sample.name()).isFalse();
        Optional<Path> binary = sample.expectedBinary();
        if (binary.isPresent()) {
            assertThat(json.isPresent() || Files.exists(sample.expectedBody()))
                    .as("%s has expected.bin beside expected.xml or expected.json", sample.name()).isFalse();
            assertBinaryAnswer(response, binary.get());
            return;
        }
        assertWellFormedAnswer(response, json.isPresent());
        if (response.statusCode() == 304) {
            assertThat(response.body()).as("304 has no body").isEmpty();
            return;
        }
        if (json.isPresent()) {
            String expectedJson = read(json.get());
            assertSameJson(expectedJson.replace("${proxy}", ProxyTestSupport.PUBLIC_URL),
                    expectedJson.contains(LINK_PLACEHOLDER) ? withLinkPlaceholders(body, call, tokens) : body);
            return;
        }
        // the proxy's public URL (configured), whatever address the test reached it at
        String expected = read(sample.expectedBody()).replace("${proxy}", ProxyTestSupport.PUBLIC_URL);
        if (expected.contains(TOKEN_PLACEHOLDER)) {
            Matcher token = TOKEN.matcher(body);
            assertThat(token.find()).as("account carries a token: %s", body).isTrue();
            AccountTokens.AccountToken opened = tokens.open(token.group(1));
            assertThat(opened.userId()).isEqualTo(call.userId());
            assertThat(opened.password()).isEqualTo(sample.backend("xsi.password"));
            if ("same".equals(sample.expectedToken())) {
                assertThat(token.group(1)).as("token re-issued only when the account changed").isEqualTo(call.token());
            } else if ("new".equals(sample.expectedToken())) {
                assertThat(token.group(1)).isNotEqualTo(call.token());
            }
            body = body.replace(token.group(1), TOKEN_PLACEHOLDER);
        }
        if (expected.contains(LINK_PLACEHOLDER)) {
            body = withLinkPlaceholders(body, call, tokens);
        }
        assertSameXml(expected, body);
    }

    /**
     * Each voice message's audio link in {@code body} must open for that message only, and for the case's user;
     * it is then replaced by {@code ${link}} (sealing is randomized, so expected answers cannot hold the link).
     */
    static String withLinkPlaceholders(String body, SampleCall call, AccountTokens tokens) {
        Matcher link = AUDIO_LINK.matcher(body);
        StringBuilder replaced = new StringBuilder();
        while (link.find()) {
            AccountTokens.AccountToken opened = tokens.openLink(link.group(2), "voicemail-audio:" + link.group(1));
            assertThat(opened.userId()).as("audio link of %s", link.group(1)).isEqualTo(call.userId());
            assertThat(opened.password()).isEqualTo(call.sample().backend("xsi.password"));
            link.appendReplacement(replaced, Matcher.quoteReplacement(
                    link.group().substring(0, link.start(2) - link.start()) + LINK_PLACEHOLDER));
        }
        link.appendTail(replaced);
        return replaced.toString();
    }

    /**
     * A binary answer (expected.bin, e.g. a voice message's audio): the very bytes, a request id, and no request
     * parameter or credential echoed as a header. Its Content-Type and other headers are the case's
     * expected.properties to say.
     */
    static void assertBinaryAnswer(HttpResponse<byte[]> response, Path expected) {
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(expected);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(response.body()).as("body of %s, byte for byte (%d bytes expected, %d got)", expected,
                bytes.length, response.body().length).isEqualTo(bytes);
        assertThat(response.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("password", "cloud_password", "username", "token", "link", "authorization", "set-cookie");
    }

    /** Any answer, success or error: UTF-8 XML with a request id, and nothing internal. */
    static void assertWellFormedAnswer(HttpResponse<byte[]> response) {
        assertWellFormedAnswer(response, false);
    }

    /**
     * Any answer, success or error: UTF-8 XML with a request id, and nothing internal; with {@code json} (the case
     * expects a JSON body) a 200 is UTF-8 JSON instead, errors stay XML. Answers of {@code /services/} carry
     * validators and {@code Cache-Control: private, no-cache}.
     */
    static void assertWellFormedAnswer(HttpResponse<byte[]> response, boolean json) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        boolean jsonAnswer = json && response.statusCode() == 200;
        if (response.statusCode() != 304) {
            assertThat(response.headers().firstValue("Content-Type")).get().asString()
                    .startsWith(jsonAnswer ? "application/json" : "application/xml")
                    .containsIgnoringCase("charset=UTF-8");
        }
        if (jsonAnswer) {
            parseJson(body, "answer");
        }
        boolean account = response.uri().getPath().startsWith("/provisioning/account");
        boolean services = response.uri().getPath().startsWith("/services/");
        if (services && (VOICEMAIL_ACTION.matcher(response.uri().getPath()).matches()
                || FEATURE_CHANGE.matcher(response.uri().getPath()).matches()
                || ANYWHERE_LOCATION_ACTION.matcher(response.uri().getPath()).matches())) {
            // an action (mark read or unread, delete; a call feature's or a location's change): about this one
            // request, nothing to validate or keep
            if (response.statusCode() == 200) {
                assertThat(response.headers().firstValue("ETag")).as("ETag of an action's answer").isEmpty();
                assertThat(response.headers().firstValue("Cache-Control")).as("Cache-Control of an action's answer")
                        .hasValue("no-store");
            }
        } else if (response.statusCode() == 200 || response.statusCode() == 304) {
            assertThat(response.headers().firstValue("ETag")).get().asString().matches("\"[A-Za-z0-9_-]{43}\"");
            if (account || services) {
                assertThat(response.headers().firstValue("Last-Modified")).get().asString().endsWith(" GMT");
            }
            if (account) {
                // the account carries SIP credentials and the token: no cache on the way may keep it
                assertThat(response.headers().firstValue("Cache-Control")).as("Cache-Control of an account answer")
                        .hasValue("no-store");
            }
            if (services) {
                // the app's own copy is checked with the validators each time; shared caches keep none
                assertThat(response.headers().firstValue("Cache-Control")).as("Cache-Control of a services answer")
                        .hasValue("private, no-cache");
            }
        }
        // no stack trace, and no backend address
        assertThat(body).doesNotContain("Exception", "\tat ", SampleBackend.shared().baseUrl(), "/demo-xsi",
                "com.broadsoft.xsi-actions");
        if (response.statusCode() != 200 && response.statusCode() != 304) {
            assertThat(body).startsWith("<error><message>").endsWith("</message></error>");
        }
        // a request parameter or backend header must never be echoed as a response header
        assertThat(response.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("password", "cloud_password", "username", "token", "authorization", "set-cookie");
    }

    /**
     * The same JSON, strictly: arrays in the same order, objects with the same keys (JSONAssert STRICT); both must
     * be well-formed JSON (no duplicate keys, nothing after the value).
     */
    static void assertSameJson(String expected, String actual) {
        parseJson(expected, "expected.json");
        parseJson(actual, "answer");
        try {
            JSONAssert.assertEquals(expected, actual, JSONCompareMode.STRICT);
        } catch (JSONException e) {
            throw new AssertionError("cannot compare as JSON: " + e.getMessage() + "\nactual:\n" + actual, e);
        } catch (AssertionError e) {
            throw new AssertionError("answer differs from the expected one:\n" + e.getMessage() + "\nactual:\n"
                    + actual, e);
        }
    }

    private static void parseJson(String text, String what) {
        try {
            if (STRICT_JSON.readTree(text).isMissingNode()) {
                throw new AssertionError(what + " is no well-formed JSON: empty");
            }
        } catch (IOException e) {
            throw new AssertionError(what + " is no well-formed JSON: " + e.getMessage() + "\n" + text, e);
        }
    }

    static void assertSameXml(Path expected, byte[] actual) {
        assertSameXml(read(expected), new String(actual, StandardCharsets.UTF_8));
    }

    static void assertSameXml(String expected, String actual) {
        Diff diff = DiffBuilder.compare(Input.fromString(expected))
                .withTest(Input.fromString(actual))
                .ignoreWhitespace()
                .ignoreComments()
                .withNodeMatcher(new DefaultNodeMatcher(ElementSelectors.byName))
                .checkForSimilar()
                .build();
        assertThat(diff.hasDifferences())
                .as("answer differs from the expected one:%n%s%nactual:%n%s", diff, actual)
                .isFalse();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
