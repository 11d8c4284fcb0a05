package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.provproxy.ops.SampleCase;

/**
 * Every folder of samples/ is a regression case: its recorded XSI/DMS documents are served by WireMock over real
 * HTTP, the proxy is called as the app would call it, and the answer must equal the expected one (status,
 * headers, XML ignoring whitespace and child order). Adding a folder adds a test.
 */
class SamplesTest extends ProxyTestSupport {

    @TestFactory
    Stream<DynamicTest> everySampleAnswersAsRecorded() throws IOException {
        try (Stream<Path> folders = Files.list(SAMPLES)) {
            var cases = folders.filter(folder -> Files.isRegularFile(folder.resolve("request.properties")))
                    .sorted().map(SampleCase::load).toList();
            assertThat(cases).as("sample cases").isNotEmpty();
            return cases.stream().map(sample -> DynamicTest.dynamicTest(sample.name(), sample.folder().toUri(), () -> {
                replay(sample);
            }));
        }
    }
}
