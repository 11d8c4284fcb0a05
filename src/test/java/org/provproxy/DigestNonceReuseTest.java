package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.provproxy.backend.BackendCache;
import org.provproxy.backend.DigestChallenges;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A Digest DMS host's last challenge is kept per tenant: the next device file download answers it at once, with its
 * own device's credentials, the next nonce count and a fresh cnonce, so each Digest sign-in saves the 401 round
 * trip. A refused nonce costs one challenge round trip, and the new challenge is kept.
 */
class DigestNonceReuseTest extends ProxyTestSupport {

    private static final String ALICE_FILE = "/dms/bc-mobile/mobile-config.xml";

    @Autowired
    DigestChallenges digestChallenges;

    @Autowired
    BackendCache backendCache;

    private final SampleCase alice = sample("mobile-three-devices");

    @BeforeEach
    void forgetChallenges() {
        digestChallenges.clear();
    }

    @Test
    void aSecondDownloadFromTheSameHostMakesNoChallengeRoundTrip() {
        replay(alice);
        List<LoggedRequest> first = dmsRequests();
        assertThat(first).hasSize(2);
        assertThat(first.get(0).containsHeader("Authorization")).as("nothing kept yet: the challenge first").isFalse();
        Map<String, String> answered = digest(first.get(1));
        assertThat(answered).containsEntry("nc", "00000001");

        replay(alice);
        check(alice);

        List<LoggedRequest> later = dmsRequests();
        assertThat(later).as("one request per sign-in, no 401").hasSize(2);
        for (int i = 0; i < 2; i++) {
            Map<String, String> params = digest(later.get(i));
            assertThat(params).containsEntry("username", alice.backend("dms.user"))
                    .containsEntry("nonce", DigestAuthMatcher.NONCE)
                    .containsEntry("nc", String.format("%08x", i + 2));
            assertThat(params.get("cnonce")).isNotEqualTo(answered.get("cnonce"));
        }
        assertThat(digest(later.get(0)).get("cnonce")).isNotEqualTo(digest(later.get(1)).get("cnonce"));
        assertThat(later).allSatisfy(request -> assertThat(request.getHeader("Authorization"))
                .doesNotContain(alice.backend("dms.password")));
    }

    @ParameterizedTest(name = "stale={0}")
    @ValueSource(booleans = {true, false})
    void aRefusedNonceCostsOneChallengeRoundTripAndTheNewOneIsKept(boolean stale) throws IOException {
        replay(alice);

        String newNonce = "a-new-nonce-" + stale;
        BACKEND.serve(alice);
        // the DMS forgot the kept nonce: it challenges anything else with its new one (added first, so the file's
        // stub below is tried before it)
        BACKEND.server().stubFor(any(urlPathMatching("/dms/.*")).atPriority(0).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", DigestAuthMatcher.challenge(newNonce, stale))));
        BACKEND.server().stubFor(get(urlPathEqualTo(ALICE_FILE)).atPriority(0)
                .andMatching(new DigestAuthMatcher(alice.backend("dms.user"), alice.backend("dms.password"), newNonce))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(Files.readAllBytes(alice.folder().resolve("backend" + ALICE_FILE)))));

        // as (nonce, nc) pairs: the refused request and its retry may be logged in the same millisecond
        check(alice);
        assertThat(nonceCounts()).containsExactlyInAnyOrder(DigestAuthMatcher.NONCE + " 00000002", newNonce + " 00000001");

        check(alice);
        assertThat(nonceCounts()).as("the new challenge was kept").containsExactlyInAnyOrder(
                DigestAuthMatcher.NONCE + " 00000002", newNonce + " 00000001", newNonce + " 00000002");
    }

    /** Each DMS request's nonce and nonce count. */
    private static List<String> nonceCounts() {
        return dmsRequests().stream().map(DigestNonceReuseTest::digest).map(d -> d.get("nonce") + " " + d.get("nc"))
                .toList();
    }

    @Test
    void twoUsersOfOneHostNeverSendEachOthersUserName() {
        SampleCase bob = sample("desktop-user");
        replay(alice);

        replay(bob);
        assertThat(dmsRequests()).singleElement().satisfies(request -> assertThat(digest(request))
                .containsEntry("username", bob.backend("dms.user")).containsEntry("nonce", DigestAuthMatcher.NONCE));
        assertThat(dmsRequests()).allSatisfy(request -> assertThat(request.getHeader("Authorization"))
                .doesNotContain(alice.backend("dms.user")));

        replay(alice);
        assertThat(dmsRequests()).singleElement().satisfies(request -> assertThat(request.getHeader("Authorization"))
                .contains("username=\"" + alice.backend("dms.user") + "\"").doesNotContain(bob.backend("dms.user")));
    }

    @Test
    void concurrentSignInsNeverRepeatANonceCount() {
        replay(alice);
        BACKEND.serve(alice);

        List<CompletableFuture<HttpResponse<byte[]>>> burst = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> proxy().send(SampleCall.of(alice, tokens))))
                .toList();

        assertThat(burst).allSatisfy(response -> assertThat(response.join().statusCode()).isEqualTo(200));
        List<String> counts = dmsRequests().stream().map(request -> digest(request).get("nc")).toList();
        assertThat(counts).hasSize(8).doesNotHaveDuplicates().allSatisfy(nc -> assertThat(nc).isGreaterThan("00000001"));
    }

    @Test
    void tenantsAreKeptApartAndBasicIsUnchanged() {
        replay(alice);

        // tenant cached: another tenant's challenge for the same host is not used
        backendCache.clear();
        BACKEND.serve(alice);
        HttpResponse<byte[]> cached = proxy().send("GET", "/provisioning/account", Map.of("username",
                "alice@acme.example", "password", alice.backend("xsi.password"), "cloud_id", "cached"), Map.of());
        assertThat(cached.statusCode()).isEqualTo(200);
        List<LoggedRequest> dms = dmsRequests();
        assertThat(dms).hasSize(2);
        assertThat(dms.get(0).containsHeader("Authorization")).isFalse();

        // tenant basicco: Basic with the first request, as ever
        SampleCase basic = sample("basic-dms");
        replay(basic);
        assertThat(dmsRequests()).singleElement().satisfies(request -> assertThat(request.getHeader("Authorization"))
                .startsWith("Basic "));
    }

    private static Map<String, String> digest(LoggedRequest request) {
        String header = request.getHeader("Authorization");
        assertThat(header).as("Authorization of %s", request.getUrl()).startsWith("Digest ");
        return DigestAuthMatcher.params(header);
    }

    private static List<LoggedRequest> dmsRequests() {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith("/dms/"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)
                        .thenComparing(request -> request.getHeader("Authorization") == null ? ""
                                : DigestAuthMatcher.params(request.getHeader("Authorization")).getOrDefault("nc", "")))
                .toList();
    }
}
