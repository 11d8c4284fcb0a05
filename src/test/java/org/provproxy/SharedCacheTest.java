package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.backend.BackendCache;
import org.provproxy.contacts.Directories;
import org.provproxy.ops.SampleCase;
import org.provproxy.sharing.ClusterMembers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two proxies sharing their caches (provisioning.shared-cache): this one (its own application context: the
 * suite's settings plus the cluster's) and another JVM, clustered over JGroups TCP on the loopback, each on a free
 * port, found by the static members list. Each scenario starts from empty local caches on this replica, and uses
 * users or tenants of its own, so what the other replica kept from one scenario plays no part in the next.
 */
class SharedCacheTest extends ProxyTestSupport {

    private static final int CLUSTER_PORT_HERE = ClusterPorts.free();
    private static final int CLUSTER_PORT_OTHER = ClusterPorts.free();
    private static final String MEMBERS = "127.0.0.1:" + CLUSTER_PORT_HERE + ",127.0.0.1:" + CLUSTER_PORT_OTHER;
    private static final String USER = "/xsi/com.broadsoft.xsi-actions/v2.0/user/";

    /** The other replica, started while this one's context starts (two JVM starts at once save some seconds). */
    private static CompletableFuture<ProxyProcess> starting;
    private static ProxyProcess other;

    @Autowired
    @Qualifier("sharedCache")
    ClusterMembers members;

    @Autowired
    BackendCache backendCache;

    @Autowired
    Directories directories;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("provisioning.shared-cache.enabled", () -> "true");
        // the suite's 1 s is for its slow cases; a loaded machine runs two proxies here
        registry.add("provisioning.backend-timeout", () -> "3s");
        registry.add("provisioning.shared-cache.join-timeout", () -> "1s");
        registry.add("provisioning.shared-cache.port", () -> CLUSTER_PORT_HERE);
        registry.add("provisioning.shared-cache.members", () -> MEMBERS);
    }

    @BeforeAll
    static void startSecondReplica() {
        starting = CompletableFuture.supplyAsync(() -> {
            try {
                return ProxyProcess.start(List.of(), List.of("--provisioning.shared-cache.enabled=true",
                        "--provisioning.backend-timeout=3s", "--provisioning.shared-cache.join-timeout=1s",
                        "--provisioning.shared-cache.port=" + CLUSTER_PORT_OTHER,
                        "--provisioning.shared-cache.members=" + MEMBERS), Path.of("target/shared-cache-replica.log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stopSecondReplica() {
        starting.thenAccept(ProxyProcess::stop);
    }

    @BeforeEach
    void bothReplicasInOneCluster() {
        other = starting.join();
        Awaitility.await("both replicas in the cluster").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> members.size() == 2);
        assertThat(members.health().getDetails()).containsEntry("members", 2)
                .containsEntry("clusterName", "provisioning-proxy");
        backendCache.clear();
        directories.clear();
        BACKEND.server().resetAll();
    }

    @Test
    void aRefreshOnTheOtherReplicaDuringAnOutageGetsTheLastGoodAccount() {
        // tenant dirco keeps no documents (cache-ttl 0s) but last good accounts (stale-if-error 24h): the other
        // replica can only answer from the last good account this one sent
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        Map<String, String> signIn = new HashMap<>(sample.params());
        signIn.put("cloud_id", "dirco");
        HttpResponse<byte[]> good = proxy().send("GET", "/provisioning/account", signIn, Map.of());
        assertThat(good.statusCode()).isEqualTo(200);
        String token = token(good);

        BACKEND.server().resetAll();
        BACKEND.server().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        HttpResponse<byte[]> stale = new ProxyClient(other.port()).send("GET", "/provisioning/account/refresh",
                Map.of("token", token, "platform", "mobile"), Map.of());

        assertThat(stale.statusCode()).as(new String(stale.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(good.body());
        assertThat(stale.headers().firstValue("ETag")).isEqualTo(good.headers().firstValue("ETag"));
        assertThat(stale.headers().firstValue("Last-Modified")).isEqualTo(good.headers().firstValue("Last-Modified"));
        assertThat(stale.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(xsiCalls("/profile")).as("XSI was asked, and failed").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBurstSplitOverBothReplicasCostsXsiEachDocumentOnce() {
        // tenant cached keeps documents 60 s; XSI slow enough that every sign-in arrives while the first is asked
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample, 500);
        Map<String, String> signIn = new HashMap<>(sample.params());
        signIn.put("cloud_id", "cached");
        ProxyClient here = proxy();
        ProxyClient there = new ProxyClient(other.port());
        // each replica warmed by a sign-in that keeps nothing (tenant acme: no caches), then the count starts
        Map<String, String> uncached = new HashMap<>(sample.params());
        uncached.put("cloud_id", "acme");
        assertThat(here.send("GET", "/provisioning/account", uncached, Map.of()).statusCode()).isEqualTo(200);
        assertThat(there.send("GET", "/provisioning/account", uncached, Map.of()).statusCode()).isEqualTo(200);
        BACKEND.server().resetRequests();

        List<CompletableFuture<HttpResponse<byte[]>>> burst = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> (i % 2 == 0 ? here : there)
                        .send("GET", "/provisioning/account", signIn, Map.of()))).toList();

        assertThat(burst).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
        assertThat(burst.stream().map(answer -> answer.join().headers().firstValue("ETag").orElseThrow()).distinct())
                .as("one account").hasSize(1);
        assertThat(xsiCalls("/profile")).isEqualTo(1);
        assertThat(xsiCalls("/profile/Device")).isEqualTo(1);
        assertThat(xsiCalls("/services/BusyLampField")).isEqualTo(1);
        assertThat(xsiCalls("/mobile-config.xml")).as("the DMS too").isEqualTo(1);
    }

    @Test
    void aDirectoryWalkedOnOneReplicaIsServedByTheOtherWithTheSameVersion() {
        BACKEND.server().stubFor(any(urlPathMatching("/xsi/.*")).atPriority(9).willReturn(aResponse().withStatus(401)));
        profile("dave@acme.example", "x-fake-portal-dave");
        profile("erin@acme.example", "x-fake-portal-erin");
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "dave@acme.example/directories/Enterprise"))
                .withQueryParam("start", equalTo("1")).atPriority(2)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Enterprise xmlns=\"http://schema.broadsoft.com/xsi\">"
                                + "<startIndex>1</startIndex><numberOfRecords>1</numberOfRecords>"
                                + "<totalAvailableRecords>1</totalAvailableRecords><enterpriseDirectory>"
                                + "<directoryDetails><userId>bob@acme.example</userId><firstName>Bob</firstName>"
                                + "<lastName>Builder</lastName><groupId>grp1</groupId><number>+12025550101</number>"
                                + "<extension>101</extension><additionalDetails></additionalDetails>"
                                + "</directoryDetails></enterpriseDirectory></Enterprise>")));

        HttpResponse<byte[]> walked = contacts(proxy(), "dave@acme.example", "x-fake-portal-dave");
        assertThat(walked.statusCode()).as(new String(walked.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        HttpResponse<byte[]> shared = contacts(new ProxyClient(other.port()), "erin@acme.example",
                "x-fake-portal-erin");

        assertThat(shared.statusCode()).as(new String(shared.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(shared.body()).isEqualTo(walked.body());
        assertThat(shared.headers().firstValue("ETag")).isEqualTo(walked.headers().firstValue("ETag"));
        assertThat(shared.headers().firstValue("Last-Modified")).isEqualTo(walked.headers().firstValue("Last-Modified"));
        assertThat(BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().contains("/directories/"))).as("one walk, by the first replica").hasSize(1);
    }

    /** A profile of enterprise ent-shared (the directory's key), answered to its own user's credentials. */
    private static void profile(String userId, String password) {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + userId + "/profile")).withBasicAuth(userId, password)
                .atPriority(1).willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Profile xmlns=\"http://schema.broadsoft.com/xsi\">"
                                + "<details><userId>" + userId + "</userId><firstName>F</firstName><lastName>L</lastName>"
                                + "<groupId>grp1</groupId><serviceProvider isEnterprise=\"true\">ent-shared"
                                + "</serviceProvider></details></Profile>")));
    }

    private HttpResponse<byte[]> contacts(ProxyClient replica, String userId, String password) {
        String token = tokens.seal(new AccountToken("cached", userId, password,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), "", null));
        return replica.send("GET", "/services/contacts", Map.of("token", token), Map.of());
    }

    private static long xsiCalls(String path) {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().endsWith(path) && r.containsHeader("Authorization")).count();
    }

    private static String token(HttpResponse<byte[]> response) {
        Matcher m = Pattern.compile("<X-xsi-token>([^<]+)</X-xsi-token>")
                .matcher(new String(response.body(), StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

}
