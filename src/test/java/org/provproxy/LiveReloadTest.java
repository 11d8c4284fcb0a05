package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.provproxy.reload.RouteFiles;
import org.provproxy.shaping.Stylesheets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Operators edit stylesheets and routes in place: changes take effect without a restart, a stylesheet that does
 * not compile is refused while the previous version keeps serving. Runs on copies in target/live-reload/.
 */
@TestPropertySource(properties = {
    "provisioning.xslt-location=file:target/live-reload/xslt",
    "provisioning.routes-location=file:target/live-reload/routes"})
class LiveReloadTest extends ProxyTestSupport {

    private static final Path ROOT = Path.of("target/live-reload");
    private static final Path OVERRIDE = ROOT.resolve("xslt/tenants/acme/account.xsl");

    static {
        try {
            FileSystemUtils.deleteRecursively(ROOT);
            FileSystemUtils.copyRecursively(Path.of("xslt"), ROOT.resolve("xslt"));
            FileSystemUtils.copyRecursively(Path.of("routes"), ROOT.resolve("routes"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    Stylesheets stylesheets;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Autowired
    RouteFiles routeFiles;


    private final SampleCase sample = sample("mobile-three-devices");

    private String title() {
        BACKEND.serve(sample);
        HttpResponse<byte[]> response = proxy().send(SampleCall.of(sample, tokens));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        int start = body.indexOf("<title>");
        return start < 0 ? "status " + response.statusCode() : body.substring(start + 7, body.indexOf("</title>"));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String titleOverride(String title) {
        return """
                <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:p="urn:provisioning-proxy">
                  <xsl:import href="../../account.xsl"/>
                  <xsl:template match="walk" mode="p:title">
                    <xsl:param name="displayName" as="xs:string"/>
                    <xsl:sequence select="'%s'"/>
                  </xsl:template>
                </xsl:stylesheet>
                """.formatted(title);
    }

    @Test
    void aStylesheetOverrideIsPickedUpRefusedWhenBrokenAndDroppedWhenRemoved() throws IOException {
        assertThat(title()).isEqualTo("Alice Example");

        write(OVERRIDE, titleOverride("Acme Phone"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> title().equals("Acme Phone"));

        write(OVERRIDE, titleOverride("Broken").replace("</xsl:template>", "</xsl:tempalte>"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !stylesheets.errors().isEmpty());
        assertThat(stylesheets.errors()).containsKey("tenants/acme/account.xsl");
        assertThat(stylesheets.errors().get("tenants/acme/account.xsl")).startsWith("account.xsl:");
        assertThat(stylesheets.health().getStatus()).isEqualTo(Stylesheets.WARNING);
        assertThat(title()).as("the previous version keeps serving").isEqualTo("Acme Phone");

        Files.delete(OVERRIDE);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> title().equals("Alice Example"));
        assertThat(stylesheets.errors()).isEmpty();
    }

    @Test
    void aRouteFileIsPickedUpChangedAndRemoved() throws IOException {
        ProxyClient client = proxy();
        assertThat(client.send("GET", "/provisioning/ping", Map.of(), Map.of()).statusCode()).isEqualTo(404);

        write(ROOT.resolve("routes/ping.yaml"), ping("pong"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> body(client).equals("pong"));
        assertThat(title()).as("the other routes kept running").isEqualTo("Alice Example");

        write(ROOT.resolve("routes/ping.yaml"), ping("pong again"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> body(client).equals("pong again"));
        assertThat(title()).isEqualTo("Alice Example");

        write(ROOT.resolve("routes/ping.yaml"), ping("broken").replace("steps:", "stepz:"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> routeFiles.refused().containsKey("ping.yaml"));
        assertThat(body(client)).as("the previous routes keep serving").isEqualTo("pong again");
        assertThat(routeFiles.health().getStatus()).isEqualTo(Stylesheets.WARNING);

        Files.delete(ROOT.resolve("routes/ping.yaml"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRoute("ping") == null);
        // platform-http keeps a path mapping for a removed consumer: the path now fails instead of serving
        assertThat(body(client)).doesNotContain("pong");
        assertThat(title()).isEqualTo("Alice Example");
    }

    private static String body(ProxyClient client) {
        return new String(client.send("GET", "/provisioning/ping", Map.of(), Map.of()).body(), StandardCharsets.UTF_8);
    }

    private static String ping(String answer) {
        return """
                - route:
                    id: ping
                    from:
                      uri: platform-http:/provisioning/ping
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(answer);
    }
}
