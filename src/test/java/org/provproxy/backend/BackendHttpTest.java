package org.provproxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.provproxy.config.ProvisioningProperties;

/**
 * The backend clients' rules against a backend that never stops sending: the answer is cut at
 * provisioning.backend-max-answer-size (5 MB), counted after decompression, and the connection is closed rather
 * than read to its end, so a gigabyte answer costs five megabytes and no more time.
 */
class BackendHttpTest {

    private static final long GIGABYTE = 1L << 30;

    private final BackendWorkers workers = new BackendWorkers();
    private final BackendHttp rules = new BackendHttp(new ProvisioningProperties(), workers);
    private final CloseableHttpAsyncClient client = rules.client(builder -> { });
    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        rules.destroy();
        workers.destroy();
        if (server != null) {
            server.close();
        }
    }

    /** GETs {@code url} with the rules: the answer's body, or the failure itself. */
    private byte[] get(String url) throws Throwable {
        try {
            return rules.execute(client, SimpleRequestProducer.create(SimpleRequestBuilder.get(url).build()),
                    HttpClientContext.create(), 0).join().body();
        } catch (CompletionException e) {
            throw e.getCause();
        }
    }

    /** A one-connection backend on loopback answering {@code head}, then {@code body} until the client hangs up. */
    private String serve(String head, BodyWriter body, AtomicLong written) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread backend = new Thread(() -> {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                body.write(out, written);
            } catch (IOException hungUp) {
                written.set(-written.get() - 1); // negative: the client closed the connection
            }
        }, "endless-backend");
        backend.setDaemon(true);
        backend.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/profile";
    }

    interface BodyWriter {
        void write(OutputStream out, AtomicLong written) throws IOException;
    }

    private static void endless(OutputStream out, AtomicLong written) throws IOException {
        byte[] block = new byte[64 * 1024];
        while (written.get() < GIGABYTE) {
            out.write(block);
            written.addAndGet(block.length);
        }
    }

    @Test
    void aGigabyteAnswerIsCutAtTheLimitAndItsConnectionClosed() throws IOException {
        AtomicLong written = new AtomicLong();
        String url = serve("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n",
                BackendHttpTest::endless, written);

        assertThatThrownBy(() -> get(url))
                .isInstanceOf(BackendHttp.AnswerTooLarge.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> written.get() < 0);
        assertThat(-written.get() - 1).as("bytes the backend could send before the connection closed")
                .isLessThan(64L << 20);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() throws IOException {
        AtomicLong written = new AtomicLong();
        String url = serve("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + GIGABYTE
                + "\r\n\r\n", BackendHttpTest::endless, written);

        assertThatThrownBy(() -> get(url))
                .isInstanceOf(BackendHttp.AnswerTooLarge.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> written.get() < 0);
    }

    @Test
    void aCompressedAnswerIsCountedAsItInflates() throws IOException {
        AtomicLong inflated = new AtomicLong();
        String url = serve("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Encoding: gzip\r\n"
                + "Connection: close\r\n\r\n", (out, written) -> {
                    // zeros until the client hangs up: a gigabyte of them is about a megabyte on the wire
                    GZIPOutputStream zip = new GZIPOutputStream(out, 64 * 1024, true);
                    byte[] block = new byte[1 << 20];
                    while (true) {
                        zip.write(block);
                        written.addAndGet(block.length);
                    }
                }, inflated);

        assertThatThrownBy(() -> get(url))
                .isInstanceOf(BackendHttp.AnswerTooLarge.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inflated.get() < 0);
    }

    @Test
    void anAnswerWithinTheLimitIsReadWhole() throws Throwable {
        AtomicLong written = new AtomicLong();
        String body = "<Profile xmlns=\"http://schema.broadsoft.com/xsi\"/>";
        String url = serve("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body, (out, count) -> out.flush(), written);

        byte[] read = get(url);
        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void aPooledConnectionTheBackendClosedIsReplacedWithoutFailingTheRequest() throws Throwable {
        // a node answers once and closes the connection (it restarts); the client still holds it in its pool
        server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        AtomicLong connections = new AtomicLong();
        Thread backend = new Thread(() -> {
            String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 4\r\n\r\n<a/>";
            try {
                for (int i = 0; i < 2; i++) {
                    try (Socket socket = server.accept()) {
                        connections.incrementAndGet();
                        socket.getInputStream().read(new byte[4096]);
                        socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "restarting-backend");
        backend.setDaemon(true);
        backend.start();
        String url = "http://127.0.0.1:" + server.getLocalPort() + "/profile";

        for (int i = 0; i < 2; i++) {
            assertThat(new String(get(url), StandardCharsets.US_ASCII)).isEqualTo("<a/>");
        }
        assertThat(connections.get()).as("the second request found the first connection dead").isEqualTo(2);
    }
}
