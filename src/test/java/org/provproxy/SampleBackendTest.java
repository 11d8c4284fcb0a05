package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.ops.PagedDirectoryCase;
import org.provproxy.ops.SampleCase;

/** The WireMock stand-in answers an XSI request from the sample file for its query, as the demo backend does. */
class SampleBackendTest {

    @TempDir
    Path samples;

    @Test
    void theStandInAnswersTheFileOfTheQueryElseThePlainOne() throws Exception {
        SampleBackend backend = SampleBackend.shared();
        backend.serve(SampleCase.load(PagedDirectoryCase.write(samples)));
        HttpClient http = HttpClient.newHttpClient();
        String directories = backend.xsiUrl() + "/v2.0/user/" + PagedDirectoryCase.USER + "/directories/";
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (PagedDirectoryCase.USER + ":" + PagedDirectoryCase.PASSWORD).getBytes(StandardCharsets.UTF_8));
        Map<String, String> pages = Map.of(
                "Enterprise?start=1001&results=1000", "second",
                "Enterprise?results=1000&start=1001", "second",
                "Enterprise?start=1&results=1000", "first",
                "Enterprise", "first",
                "Enterprise?start=2001&results=1000", "third of 1000",
                "Enterprise?start=2001&results=50", "third",
                "Group?name=Smith%2C%20J", "smith",
                "Group?start=1001&results=1000", "group");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(directories + page.getKey()))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(page.getKey()).isEqualTo(200);
            assertThat(answer.body()).as(page.getKey()).contains("<page>" + page.getValue() + "</page>");
        }
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(directories
                + "Enterprise?start=3001&results=1000")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create(directories
                + "Enterprise?start=1001")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
    }
}
