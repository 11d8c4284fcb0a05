package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * An answer reaches the app as soon as platform-http has written it (reply/AnswerSending), not when the servlet's
 * asynchronous dispatch that follows has ended: here that dispatch is held in a filter until the test lets it go,
 * and the app must have its whole answer meanwhile. Without, a 304 waited for the dispatch (and timed out here),
 * and a body went chunked, its end in a second write. A 200 and an error go with their Content-Length.
 */
@Import(AnswerSentAtOnceTest.HeldDispatch.class)
class AnswerSentAtOnceTest extends ProxyTestSupport {

    /** The async dispatches held, and the one gate that lets them go. */
    static final AtomicInteger HELD = new AtomicInteger();
    static volatile CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void letGo() {
        gate.countDown();
    }

    @Test
    void aSignInIsWholeBeforeTheDispatchEnds() throws Exception {
        HttpResponse<byte[]> answer = whileHeld("mobile-three-devices");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Length")).hasValue(Integer.toString(answer.body().length));
        assertThat(answer.headers().firstValue("Transfer-Encoding")).isEmpty();
    }

    @Test
    void a304IsSentBeforeTheDispatchEnds() throws Exception {
        HttpResponse<byte[]> answer = whileHeld("refresh-not-modified");

        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void anErrorIsWholeBeforeTheDispatchEnds() throws Exception {
        HttpResponse<byte[]> answer = whileHeld("xsi-wrong-password");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Length")).hasValue(Integer.toString(answer.body().length));
    }

    /** The answer to the sample's request (primed first when it is a prime=true case), sent while held, checked. */
    private HttpResponse<byte[]> whileHeld(String name) throws IOException, InterruptedException {
        SampleCase sample = sample(name);
        BACKEND.serve(sample);
        SampleCall call = SampleCall.of(sample, tokens);
        if (sample.prime()) {
            call = call.primedBy(proxy().send(call.unprimed()));
        }
        HttpResponse<byte[]> answer = whileHeld(call);
        AnswerAssertions.assertAnswer(call, answer, tokens);
        return answer;
    }

    /**
     * The answer to {@code call}, sent while its async dispatch is held: it fails (timeout) unless the answer came
     * whole before the dispatch, which is then still held.
     */
    private HttpResponse<byte[]> whileHeld(SampleCall call) throws IOException, InterruptedException {
        gate = new CountDownLatch(1);
        int heldBefore = HELD.get();
        String query = call.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b).orElse("");
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + call.sample().path() + "?" + query))
                .timeout(Duration.ofSeconds(5));
        call.headers().forEach(request::setHeader);
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        // the answer came while the gate was closed, and the dispatch does pass the gate: it came before the
        // dispatch ended (a dispatch that went elsewhere would prove nothing)
        assertThat(gate.getCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> HELD.get() > heldBefore);
        return answer;
    }

    @TestConfiguration
    static class HeldDispatch {

        /** Holds every async dispatch (at most 20 s) until the test's gate opens. */
        @Bean
        FilterRegistrationBean<Filter> holdAsyncDispatch() {
            Filter hold = (request, response, chain) -> {
                HELD.incrementAndGet();
                try {
                    gate.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServletException(e);
                }
                chain.doFilter(request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(hold);
            registration.setDispatcherTypes(DispatcherType.ASYNC);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
