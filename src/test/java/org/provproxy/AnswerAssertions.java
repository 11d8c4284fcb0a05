package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.DefaultNodeMatcher;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.ElementSelectors;

/** What every answer of the proxy must look like, and the comparison with a sample's expected answer. */
final class AnswerAssertions {

    private AnswerAssertions() {
    }

    static void assertAnswer(SampleCase sample, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as("status of %s, body %s", sample.name(), body)
                .isEqualTo(sample.expectedStatus());
        for (Map.Entry<String, String> header : sample.expectedHeaders().entrySet()) {
            assertThat(response.headers().firstValue(header.getKey())).as("header %s", header.getKey())
                    .hasValue(header.getValue());
        }
        assertWellFormedAnswer(response);
        assertSameXml(sample.expectedBody(), response.body());
    }

    /** Any answer, success or error: UTF-8 XML with a request id, and nothing internal. */
    static void assertWellFormedAnswer(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/xml").containsIgnoringCase("charset=UTF-8");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(body).doesNotContain("Exception", "\tat ", "127.0.0.1", "localhost");
        if (response.statusCode() != 200) {
            assertThat(body).startsWith("<error><message>").endsWith("</message></error>");
        }
        // a request parameter or backend header must never be echoed as a response header
        assertThat(response.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("password", "cloud_password", "username", "authorization", "set-cookie");
    }

    static void assertSameXml(Path expected, byte[] actual) {
        Diff diff = DiffBuilder.compare(Input.fromPath(expected))
                .withTest(Input.fromByteArray(actual))
                .ignoreWhitespace()
                .ignoreComments()
                .withNodeMatcher(new DefaultNodeMatcher(ElementSelectors.byName))
                .checkForSimilar()
                .build();
        assertThat(diff.hasDifferences())
                .as("answer differs from %s:%n%s%nactual:%n%s", expected, diff,
                        new String(actual, StandardCharsets.UTF_8))
                .isFalse();
    }
}
