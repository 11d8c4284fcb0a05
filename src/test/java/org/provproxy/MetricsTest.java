package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.backend.BackendCache;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;

/**
 * /actuator/prometheus, for the operator credential only, counts every request by endpoint, tenant, status and
 * outcome, each backend call by tenant, backend, resource template, status and cache use, and the caches. (The
 * same properties as ExplainTest and HealthDetailsTest, so all share one application context.)
 */
@TestPropertySource(properties = {
    "provisioning.explain.enabled=true",
    "provisioning.operator.user=operator",
    "provisioning.operator.password=x-fake-operator-secret"})
class MetricsTest extends ProxyTestSupport {

    static final String OPERATOR = "Basic " + Base64.getEncoder().encodeToString(
            "operator:x-fake-operator-secret".getBytes(StandardCharsets.UTF_8));
    private static final String PASSWORD = "x-fake-portal-alice";
    private static final String REQUESTS = "provisioning_requests_seconds_count";
    private static final String CALLS = "provisioning_backend_calls_seconds_count";

    @Autowired
    BackendCache backendCache;

    @Autowired
    @Qualifier("lastGoodAccounts")
    Cache<String, Object> lastGoodAccounts;

    @BeforeEach
    void emptyCaches() {
        backendCache.clear();
        lastGoodAccounts.invalidateAll();
    }

    PrometheusText scrape() {
        HttpResponse<byte[]> answer = proxy().send("GET", "/actuator/prometheus", Map.of(),
                Map.of("Authorization", OPERATOR));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        return PrometheusText.parse(new String(answer.body(), StandardCharsets.UTF_8));
    }

    /** Waits until {@code metric} grew by {@code by} since {@code before}: a request is counted as it completes. */
    private void grows(PrometheusText before, ToDoubleFunction<PrometheusText> metric, double by) {
        double start = metric.applyAsDouble(before);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metric.applyAsDouble(scrape())).isEqualTo(start + by));
    }

    private static Map<String, String> signIn(String tenant) {
        Map<String, String> params = new HashMap<>();
        params.put("username", "alice@acme.example");
        params.put("password", PASSWORD);
        params.put("cloud_id", tenant);
        params.put("platform", "mobile");
        return params;
    }

    private HttpResponse<byte[]> send(SampleCall call) {
        return proxy().send(call);
    }

    @Test
    void prometheusNeedsTheOperatorCredential() {
        HttpResponse<byte[]> anonymous = proxy().send("GET", "/actuator/prometheus", Map.of(), Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
        AnswerAssertions.assertWellFormedAnswer(anonymous);
        assertThat(new String(anonymous.body(), StandardCharsets.UTF_8)).startsWith("<error>")
                .doesNotContain("provisioning_");

        HttpResponse<byte[]> wrong = proxy().send("GET", "/actuator/prometheus", Map.of(),
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:x".getBytes())));
        assertThat(wrong.statusCode()).isEqualTo(401);

        // the actuator's other endpoints too; health stays open (the status alone)
        assertThat(proxy().send("GET", "/actuator", Map.of(), Map.of()).statusCode()).isEqualTo(401);
        assertThat(proxy().send("GET", "/actuator/health", Map.of(), Map.of()).statusCode()).isEqualTo(200);
        // no way around it through a path the web server normalizes
        RawHttp.Answer around = RawHttp.send(port, "GET /actuator/health/../prometheus HTTP/1.0\r\n");
        assertThat(around.status()).isNotEqualTo(200);
        assertThat(around.body()).doesNotContain("provisioning_");

        assertThat(scrape().names()).contains("jvm_memory_used_bytes");
    }

    @Test
    void aSignInIsCountedWithItsBackendCalls() {
        BACKEND.serve(sample("mobile-three-devices"));
        PrometheusText before = scrape();

        assertThat(proxy().send("GET", "/provisioning/account", signIn("cached"), Map.of()).statusCode())
                .isEqualTo(200);

        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account", "tenant", "cached", "status", "200",
                "outcome", "answered"), 1);
        PrometheusText after = scrape();
        for (String resource : new String[] {"profile", "profile/Device", "services/BusyLampField"}) {
            assertThat(after.sum(CALLS, "tenant", "cached", "backend", "xsi", "resource", resource, "status", "200",
                    "cached", "false") - before.sum(CALLS, "tenant", "cached", "backend", "xsi", "resource", resource,
                    "status", "200", "cached", "false")).as(resource).isEqualTo(1);
        }
        assertThat(after.sum(CALLS, "tenant", "cached", "backend", "dms", "resource", "dms", "cached", "false")
                - before.sum(CALLS, "tenant", "cached", "backend", "dms", "resource", "dms", "cached", "false"))
                .isEqualTo(1);
        assertThat(after.exposes("provisioning_requests_seconds_bucket", "endpoint", "provisioning-account",
                "le", "0.05")).as("the SLO buckets").isTrue();
        assertThat(after.sum("provisioning_cache_size", "cache", "backend-documents")).isEqualTo(4);
        assertThat(after.exposes("provisioning_requests_in_flight", "endpoint", "provisioning-account")).isTrue();

        // the same sign-in again: every document from the cache, and no label names the user
        PrometheusText second = scrape();
        assertThat(proxy().send("GET", "/provisioning/account", signIn("cached"), Map.of()).statusCode())
                .isEqualTo(200);
        grows(second, m -> m.sum(CALLS, "tenant", "cached", "resource", "profile", "cached", "true"), 1);
        // the four documents (profile, devices, BLF, device file) as hits of the document cache, no miss
        PrometheusText third = scrape();
        assertThat(third.sum("provisioning_cache_gets_total", "cache", "backend-documents", "result", "hit")
                - second.sum("provisioning_cache_gets_total", "cache", "backend-documents", "result", "hit"))
                .isEqualTo(4);
        assertThat(third.sum("provisioning_cache_gets_total", "cache", "backend-documents", "result", "miss")
                - second.sum("provisioning_cache_gets_total", "cache", "backend-documents", "result", "miss"))
                .isZero();
        assertThat(scrape().samples()).allSatisfy(sample -> assertThat(sample.labels().values())
                .noneMatch(value -> value.contains("alice")));
    }

    @Test
    void aNotModifiedAnswerIsCounted() {
        SampleCall call = SampleCall.of(sample("refresh-not-modified"), tokens);
        BACKEND.serve(call.sample());
        PrometheusText before = scrape();

        assertThat(send(call).statusCode()).isEqualTo(304);

        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account-refresh", "tenant", "acme",
                "status", "304", "outcome", "not-modified"), 1);
    }

    @Test
    void aStaleAnswerIsCounted() {
        BACKEND.serve(sample("mobile-three-devices"));
        assertThat(proxy().send("GET", "/provisioning/account", signIn("cached"), Map.of()).statusCode())
                .isEqualTo(200);
        BACKEND.serve(sample("xsi-5xx"));
        backendCache.clear();
        PrometheusText before = scrape();

        assertThat(proxy().send("GET", "/provisioning/account", signIn("cached"), Map.of()).statusCode())
                .isEqualTo(200);

        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account", "tenant", "cached", "status", "200",
                "outcome", "stale"), 1);
        PrometheusText after = scrape();
        assertThat(after.sum(CALLS, "tenant", "cached", "resource", "profile", "status", "503")
                - before.sum(CALLS, "tenant", "cached", "resource", "profile", "status", "503")).isEqualTo(1);
        assertThat(after.sum("provisioning_cache_gets_total", "cache", "last-good-accounts", "result", "hit")
                - before.sum("provisioning_cache_gets_total", "cache", "last-good-accounts", "result", "hit"))
                .isEqualTo(1);
    }

    @Test
    void errorsAndLogoutsAreCounted() {
        SampleCall failing = SampleCall.of(sample("xsi-5xx"), tokens);
        BACKEND.serve(failing.sample());
        PrometheusText before = scrape();
        assertThat(send(failing).statusCode()).isEqualTo(503);
        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account", "tenant", "acme", "status", "503",
                "outcome", "error"), 1);

        SampleCall logout = SampleCall.of(sample("refresh-wrong-password-logout"), tokens);
        BACKEND.serve(logout.sample());
        before = scrape();
        assertThat(send(logout).statusCode()).isEqualTo(410);
        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account-refresh", "tenant", "acme",
                "status", "410", "outcome", "logout"), 1);

        // a Cloud ID no tenant has: its name is no label value
        before = scrape();
        assertThat(proxy().send("GET", "/provisioning/account", signIn("x-no-such-tenant"), Map.of()).statusCode())
                .isEqualTo(400);
        grows(before, m -> m.sum(REQUESTS, "endpoint", "provisioning-account", "tenant", "unknown", "status", "400",
                "outcome", "error"), 1);
        assertThat(scrape().samples()).noneMatch(sample -> sample.labels().containsValue("x-no-such-tenant"));
    }

    @Test
    void transientFailuresOfTheBackendAreCountedByKind() {
        BACKEND.server().resetAll();
        BACKEND.server().stubFor(any(anyUrl()).willReturn(aResponse().withFault(
                com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        PrometheusText before = scrape();

        assertThat(proxy().send("GET", "/provisioning/account", signIn("acme"), Map.of()).statusCode())
                .isEqualTo(503);

        grows(before, m -> m.sum(CALLS, "tenant", "acme", "backend", "xsi", "resource", "profile",
                "status", "backend-unavailable"), 1);
    }

    @Test
    void theDashboardReadsOnlyMetricsTheProxyExposes() throws Exception {
        // a sign-in (backend calls, caches), then a stale answer's lookup, so that every series has a sample
        BACKEND.serve(sample("mobile-three-devices"));
        assertThat(proxy().send("GET", "/provisioning/account", signIn("cached"), Map.of()).statusCode())
                .isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scrape().exposes(REQUESTS, "tenant", "cached"));
        List<String> exposed = scrape().names();

        JsonNode dashboard = new ObjectMapper().readTree(Path.of("ops/grafana/provisioning-proxy.json").toFile());
        Set<String> used = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            used.addAll(metricNames(expr.asText()));
        }
        String variable = dashboard.at("/templating/list/1/definition").asText();
        used.addAll(metricNames(variable.replaceFirst("^label_values\\((\\w+),.*$", "$1")));

        assertThat(used).as("metrics the dashboard reads").contains("provisioning_requests_seconds_count",
                "provisioning_requests_seconds_bucket", "provisioning_backend_calls_seconds_count",
                "provisioning_backend_calls_seconds_bucket", "provisioning_cache_gets_total", "provisioning_cache_size",
                "provisioning_requests_in_flight", "jvm_memory_used_bytes");
        assertThat(exposed).as("exposed by /actuator/prometheus").containsAll(used);
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        assertThat(dashboard.at("/templating/list/1/name").asText()).isEqualTo("tenant");
    }

    /**
     * The metric names of a PromQL expression: what is left once strings, label matchers, ranges and grouping
     * clauses are taken out, and is not a function (followed by a parenthesis), a keyword nor a number.
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ").replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (token.find()) {
            if (token.group(2) == null && !KEYWORDS.contains(token.group(1))) {
                names.add(token.group(1));
            }
        }
        return names;
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "group_left",
            "group_right");
}
