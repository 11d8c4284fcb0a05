package org.provproxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.config.ProvisioningProperties;

/**
 * Route files in subfolders of the routes folder (routes/api/, routes/walk/, ...) reload like top-level ones, on a
 * bare Camel context; the whole proxy's reload of a top-level file is LiveReloadTest's.
 */
class RouteFilesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path routes;

    private CamelContext camel;
    private FolderWatcher watcher;
    private RouteFiles routeFiles;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setRoutesLocation("file:" + routes);
        properties.getReload().setInterval(Duration.ofMillis(20));
        watcher = new FolderWatcher(properties);
        routeFiles = new RouteFiles(camel, properties, watcher);
        routeFiles.start();
    }

    @AfterEach
    void stop() throws Exception {
        routeFiles.destroy();
        watcher.destroy();
        camel.close();
    }

    private void write(String file, String content) throws IOException {
        Path target = routes.resolve(file);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String call(String endpoint) {
        return camel.createProducerTemplate().requestBody(endpoint, "", String.class);
    }

    private static String route(String id, String answer) {
        return """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(id, id, answer);
    }

    @Test
    void aFileInASubfolderIsLoadedChangedRefusedAndRemovedByItsRelativePath() throws IOException {
        write("api/hello.yaml", route("hello", "hi"));
        await().atMost(WAIT).until(() -> camel.getRoute("hello") != null);
        assertThat(call("direct:hello")).isEqualTo("hi");

        write("api/hello.yaml", route("hello", "hi again"));
        await().atMost(WAIT).until(() -> call("direct:hello").equals("hi again"));

        write("api/hello.yaml", route("hello", "broken").replace("steps:", "stepz:"));
        await().atMost(WAIT).until(() -> routeFiles.refused().containsKey("api/hello.yaml"));
        assertThat(call("direct:hello")).as("the previous routes keep serving").isEqualTo("hi again");

        Files.delete(routes.resolve("api/hello.yaml"));
        await().atMost(WAIT).until(() -> camel.getRoute("hello") == null);
        assertThat(routeFiles.refused()).isEmpty();
    }

    @Test
    void aRouteMovedIntoASubfolderKeepsServing() throws IOException {
        write("ping.yaml", route("ping", "pong"));
        await().atMost(WAIT).until(() -> camel.getRoute("ping") != null);

        Files.createDirectories(routes.resolve("api"));
        Files.move(routes.resolve("ping.yaml"), routes.resolve("api/ping.yaml"));
        await().atMost(WAIT).until(() -> camel.getRoute("ping").getSourceResource().getLocation()
                .endsWith("api/ping.yaml"));
        assertThat(call("direct:ping")).isEqualTo("pong");

        Files.delete(routes.resolve("api/ping.yaml"));
        await().atMost(WAIT).until(() -> camel.getRoute("ping") == null);
    }
}
