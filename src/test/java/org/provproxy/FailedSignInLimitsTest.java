package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/**
 * Failed sign-ins (XSI 401, or 100003) are limited per user name and per client address, checked before XSI is
 * called, so the proxy cannot be used to guess passwords or to lock BroadWorks accounts. Here 3 per user and 6 per
 * address a minute; loopback is a trusted proxy, so X-Forwarded-For names the client of each request.
 */
@TestPropertySource(properties = {
    "provisioning.failed-sign-ins.per-user=3",
    "provisioning.failed-sign-ins.per-address=6",
    "provisioning.failed-sign-ins.period=1m",
    "provisioning.trusted-proxies=127.0.0.0/8, ::1"})
class FailedSignInLimitsTest extends ProxyTestSupport {

    private static final AtomicInteger CLIENTS = new AtomicInteger(10);
    private static final String TOO_MANY = "<error><message>Too many failed sign-ins. Please wait a few minutes and "
            + "try again.</message></error>";

    /** A client address of its own for each test, so the tests do not share a per-address allowance. */
    private static String newClient() {
        return "198.51.100." + CLIENTS.incrementAndGet();
    }

    private HttpResponse<byte[]> signIn(String user, String password, String client) {
        Map<String, String> params = new HashMap<>(Map.of("username", user, "password", password, "cloud_id", "acme"));
        return proxy().send("POST", "/provisioning/account", params,
                Map.of("X-Forwarded-For", "203.0.113.7, " + client, "Accept-Language", "en"));
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static int xsiCalls() {
        return BACKEND.server().findAll(WireMock.getRequestedFor(WireMock.urlPathMatching(".*/profile/Device"))).size();
    }

    private static void assertTooMany(HttpResponse<byte[]> response, int maxSeconds) {
        assertThat(response.statusCode()).as(body(response)).isEqualTo(429);
        AnswerAssertions.assertWellFormedAnswer(response);
        AnswerAssertions.assertSameXml(TOO_MANY, body(response));
        assertThat(response.headers().firstValue("Retry-After")).get().asString()
                .matches(seconds -> Integer.parseInt(seconds) >= 1 && Integer.parseInt(seconds) <= maxSeconds);
    }

    @Test
    void wrongPasswordsOfOneUserAreLimitedBeforeXsiIsCalled() {
        BACKEND.serve(sample("xsi-wrong-password"));
        BACKEND.server().resetRequests();
        String client = newClient();
        for (int i = 0; i < 3; i++) {
            assertThat(signIn("dave", "x-fake-guess-" + i, client).statusCode()).isEqualTo(403);
        }
        // greedy refill: one attempt back every 20 s; the user name counts as the user id it becomes
        assertTooMany(signIn("dave@acme.example", "x-fake-guess-3", client), 20);
        assertTooMany(signIn("DAVE", "x-fake-portal-dave", newClient()), 20);
        assertThat(xsiCalls()).as("the refused attempts never reach XSI").isEqualTo(3);
        // another user at the same address is not concerned
        assertThat(signIn("bob@acme.example", "x-fake-guess", client).statusCode()).isEqualTo(403);
    }

    @Test
    void successfulSignInsAreNotCounted() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        String client = newClient();
        for (int i = 0; i < 8; i++) {
            HttpResponse<byte[]> response = signIn("alice", "x-fake-portal-alice", client);
            assertThat(response.statusCode()).as(body(response)).isEqualTo(200);
        }
    }

    @Test
    void failedSignInsOfManyUsersFromOneAddressAreLimited() {
        BACKEND.serve(sample("xsi-wrong-password"));
        String client = newClient();
        for (int i = 0; i < 6; i++) {
            assertThat(signIn("sprayed-" + i + "@acme.example", "x-fake-guess", client).statusCode()).isEqualTo(403);
        }
        BACKEND.server().resetRequests();
        assertTooMany(signIn("sprayed-6@acme.example", "x-fake-guess", client), 10);
        assertThat(xsiCalls()).isZero();
        // the same user from elsewhere still reaches XSI
        assertThat(signIn("sprayed-6@acme.example", "x-fake-guess", newClient()).statusCode()).isEqualTo(403);
    }

    @Test
    void attemptsInFlightCountSoAParallelBurstCannotGuessMore() {
        BACKEND.serve(sample("xsi-wrong-password"), 400);
        BACKEND.server().resetRequests();
        String client = newClient();
        List<CompletableFuture<Integer>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String guess = "x-fake-burst-" + i;
            burst.add(CompletableFuture.supplyAsync(() -> signIn("carol@acme.example", guess, client).statusCode()));
        }
        List<Integer> statuses = burst.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsOnly(403, 429).filteredOn(status -> status == 403).hasSizeLessThanOrEqualTo(3);
        assertThat(xsiCalls()).isLessThanOrEqualTo(3);
    }

    @Test
    void tokenRefreshesAreNotLimited() {
        // a token is sealed by the proxy: it cannot carry a guessed password
        SampleCase sample = sample("refresh-wrong-password-logout");
        BACKEND.serve(sample);
        for (int i = 0; i < 5; i++) {
            check(sample);
        }
    }
}
