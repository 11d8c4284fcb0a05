package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.backend.BackendCache;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Tenant {@code cached} runs with the default caches (documents 60 s, last good account 24 h), against the
 * recorded backend of mobile-three-devices.
 */
class CachingTest extends ProxyTestSupport {

    private static final String PASSWORD = "x-fake-portal-alice";

    @Autowired
    BackendCache backendCache;

    @Autowired
    @Qualifier("lastGoodAccounts")
    Cache<String, Object> lastGoodAccounts;

    private final SampleCase sample = sample("mobile-three-devices");

    @BeforeEach
    void emptyCaches() {
        backendCache.clear();
        lastGoodAccounts.invalidateAll();
        BACKEND.serve(sample);
    }

    private static Map<String, String> signIn(String password) {
        Map<String, String> params = new HashMap<>();
        params.put("username", "alice@acme.example");
        params.put("password", password);
        params.put("cloud_id", "cached");
        return params;
    }

    private HttpResponse<byte[]> send(Map<String, String> params) {
        return proxy().send("GET", "/provisioning/account", params, Map.of());
    }

    private static long backendCalls(String path) {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().endsWith(path) && r.containsHeader("Authorization")).count();
    }

    @Test
    void aSecondSignInWithinTheTtlReachesNoBackend() {
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);

        assertThat(backendCalls("/profile/Device")).isEqualTo(1);
        assertThat(backendCalls("/profile")).isEqualTo(1);
        assertThat(backendCalls("/services/BusyLampField")).isEqualTo(1);
        assertThat(backendCalls("/mobile-config.xml")).isEqualTo(1);
    }

    @Test
    void concurrentSignInsShareOneBackendCall() {
        BACKEND.serve(sample, 500);
        List<CompletableFuture<HttpResponse<byte[]>>> burst = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> send(signIn(PASSWORD)))).toList();

        assertThat(burst).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(backendCalls("/profile/Device")).isEqualTo(1);
        assertThat(backendCalls("/profile")).isEqualTo(1);
        assertThat(backendCalls("/services/BusyLampField")).isEqualTo(1);
    }

    @Test
    void aChangedPasswordNeverReusesTheOldEntries() {
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> wrong = send(signIn("x-fake-other-password"));

        assertThat(wrong.statusCode()).as("XSI decides, not the cache").isEqualTo(403);
        assertThat(backendCalls("/profile/Device")).isEqualTo(2);
    }

    @Test
    void cacheKeysHoldNoPassword() {
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);

        assertThat(backendCache.keys()).hasSize(4).allSatisfy(key -> assertThat(key)
                .doesNotContain(PASSWORD, sample.backend("dms.password"), sample.backend("dms.user")));
        assertThat(lastGoodAccounts.asMap().keySet()).hasSize(1).allSatisfy(key -> assertThat(key)
                .doesNotContain(PASSWORD));
    }

    @Test
    void whileXsiFailsTheLastGoodAccountIsServed() {
        HttpResponse<byte[]> good = send(signIn(PASSWORD));
        assertThat(good.statusCode()).isEqualTo(200);

        BACKEND.serve(sample("xsi-5xx"));
        backendCache.clear();
        HttpResponse<byte[]> stale = send(signIn(PASSWORD));

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(good.body());
        assertThat(stale.headers().firstValue("ETag")).isEqualTo(good.headers().firstValue("ETag"));
        assertThat(stale.headers().firstValue("Cache-Control")).as("the last good account holds secrets too")
                .hasValue("no-store");
        assertThat(backendCalls("/profile")).as("XSI was asked first").isEqualTo(1);

        // XSI down for everyone: other credentials never get the account stored for these
        BACKEND.server().resetAll();
        BACKEND.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        assertThat(send(signIn("x-fake-other-password")).statusCode()).isEqualTo(503);
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnusableAnswerIsNeverKept() {
        // a truncated profile, then a maintenance page for the devices: each fails, and neither may stand in for
        // XSI's real answer once it is back
        Map<String, String> brokenResource = Map.of("xsi-malformed-xml", "/profile",
                "xsi-devices-maintenance-page", "/profile/Device");
        brokenResource.forEach((broken, resource) -> {
            BACKEND.serve(sample(broken));
            assertThat(send(signIn(PASSWORD)).statusCode()).as(broken).isEqualTo(502);

            BACKEND.serve(sample);
            assertThat(send(signIn(PASSWORD)).statusCode()).as("after " + broken).isEqualTo(200);
            assertThat(backendCalls(resource)).as(resource + " is asked again after " + broken).isEqualTo(1);
            backendCache.clear();
            lastGoodAccounts.invalidateAll();
        });
    }

    @Test
    void aDmsRefusalIsNeverKept() {
        BACKEND.server().stubFor(get(urlPathEqualTo("/dms/bc-mobile/mobile-config.xml")).atPriority(0)
                .willReturn(aResponse().withStatus(403)));
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(502);

        BACKEND.serve(sample);
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(backendCalls("/mobile-config.xml")).as("the DMS is asked again").isEqualTo(1);
    }

    @Test
    void aBurstSharesOneUnusableAnswerAndNobodyKeepsIt() {
        BACKEND.serve(sample("xsi-malformed-xml"), 300);
        List<CompletableFuture<HttpResponse<byte[]>>> burst = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> send(signIn(PASSWORD)))).toList();

        assertThat(burst).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(502));
        assertThat(backendCalls("/profile")).as("single flight").isEqualTo(1);

        BACKEND.serve(sample);
        assertThat(send(signIn(PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(backendCalls("/profile")).isEqualTo(1);
    }
}
