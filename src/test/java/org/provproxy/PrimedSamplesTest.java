package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.ops.SampleCase;

/**
 * {@code prime=true} end to end, on copies of existing samples (the endpoints that answer validators today): the
 * runner's first request gets the validators, the case's request sends them back and gets its 304.
 */
class PrimedSamplesTest extends ProxyTestSupport {

    @TempDir
    Path copies;

    /** A copy of sample {@code name}, with {@code lines} appended to its request.properties and {@code files} written. */
    private SampleCase copy(String name, String lines, Map<String, String> files) throws IOException {
        Path from = SAMPLES.resolve(name);
        Path to = copies.resolve(name);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path file : walk.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.writeString(to.resolve("request.properties"), "\n" + lines, StandardOpenOption.APPEND);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(to.resolve(file.getKey()), file.getValue());
        }
        return SampleCase.load(to);
    }

    @Test
    void theEtagComesFromTheFirstAnswerNotFromTheTokensAccount() throws IOException {
        // the token's account is another one: its ETag would get a 200
        SampleCase sample = copy("global-not-modified", "prime=true\n",
                Map.of("previous-answer.xml", "<root><quickDial/></root>"));

        HttpResponse<byte[]> answer = replay(sample);

        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(BACKEND.server().getAllServeEvents()).as("both requests walked the same stand-in")
                .filteredOn(event -> event.getRequest().getUrl().endsWith("/services/BusyLampField")).hasSize(2);
    }

    @Test
    void lastModifiedComesFromTheFirstAnswer() throws IOException {
        SampleCase sample = copy("refresh-not-modified-since", "prime=true\nheader.If-Modified-Since=${last-modified}\n",
                Map.of("expected.properties", "status=304\nheader.Last-Modified=${last-modified}\n"));

        HttpResponse<byte[]> answer = replay(sample);

        assertThat(answer.headers().firstValue("Last-Modified")).hasValue("Fri, 02 Jan 2026 03:04:05 GMT");
    }
}
