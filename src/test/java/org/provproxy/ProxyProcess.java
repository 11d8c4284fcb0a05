package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Another proxy, in its own JVM from the test classpath, with the suite's settings ({@link ProxyTestSupport}) and
 * every tenant's XSI at the shared stand-in: a second replica, or one with other JVM flags. Started once it
 * serves (the refresh route answers 400 for a missing token, so the routes run, not only the web server).
 */
final class ProxyProcess {

    private final Process process;
    private final int port;

    private ProxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts one with {@code jvmFlags}, the suite's settings except those {@code args} give again (same key before
     * the '='), then {@code args}; its output goes to {@code log}.
     */
    static ProxyProcess start(List<String> jvmFlags, List<String> args, Path log) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                ProvisioningProxyApplication.class.getName()));
        for (String property : ProxyTestSupport.class.getAnnotation(SpringBootTest.class).properties()) {
            String key = property.substring(0, property.indexOf('=') + 1);
            if (args.stream().noneMatch(arg -> arg.startsWith("--" + key))) {
                command.add("--" + property);
            }
        }
        for (String tenant : ProxyTestSupport.tenants()) {
            command.add("--provisioning.tenants." + tenant + ".xsi-url=" + ProxyTestSupport.BACKEND.xsiUrl());
        }
        command.add("--server.port=" + port);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> !process.isAlive() || ready(port));
        assertThat(process.isAlive()).as("the proxy process runs, see %s", log).isTrue();
        return new ProxyProcess(process, port);
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    void stop() {
        process.destroy();
    }

    private static boolean ready(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port + "/provisioning/account/refresh").toURL().openConnection();
            return connection.getResponseCode() == 400;
        } catch (IOException notYet) {
            return false;
        }
    }
}
