package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.provproxy.backend.DigestChallenges;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;

/** What the proxy sends to XSI and the DMS, read from the stand-in's request log. */
class XsiWalkTest extends ProxyTestSupport {

    @Autowired
    DigestChallenges digestChallenges;

    @Test
    void profileAndBlfAreFetchedWhileTheDevicesCallIsStillOpen() {
        SampleCase sample = sample("mobile-three-devices");
        // every XSI answer takes 400 ms: one after the other, the three calls would start 400 ms apart
        BACKEND.serve(sample, 400);

        check(sample);

        Map<String, Long> received = xsiRequests().stream().collect(Collectors.toMap(
                r -> r.getUrl().substring(r.getUrl().indexOf("/v2.0/user/")), r -> r.getLoggedDate().getTime()));
        assertThat(received).hasSize(3);
        long first = received.values().stream().min(Long::compare).orElseThrow();
        long last = received.values().stream().max(Long::compare).orElseThrow();
        assertThat(last - first).as("spread of XSI request start times %s", received).isLessThan(300);
    }

    @Test
    void xsiGetsTheUsersBasicCredentialsAndNothingOfTheAppsRequest() {
        SampleCase sample = sample("mobile-three-devices");
        replay(sample);

        List<LoggedRequest> xsi = xsiRequests();
        assertThat(xsi).hasSize(3).allSatisfy(request -> {
            assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("alice@acme.example:x-fake-portal-alice".getBytes()));
            assertThat(request.getAllHeaderKeys()).map(String::toLowerCase)
                    .doesNotContain("password", "username", "cloud_id", "platform", "locale", "cookie");
            assertThat(request.getUrl()).doesNotContain("password").doesNotContain("?");
        });
    }

    @Test
    void theUserIdIsOneEncodedPathSegment() {
        BACKEND.serve(sample("mobile-three-devices"));

        var response = proxy().send("GET", "/provisioning/account",
                Map.of("username", "eve/../admin x@acme.example", "password", "x-fake", "cloud_id", "acme"), Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(xsiRequests()).isNotEmpty().allSatisfy(request -> assertThat(request.getUrl())
                .startsWith(SampleBackend.XSI_ROOT + "/v2.0/user/eve%2F..%2Fadmin%20x@acme.example/"));
    }

    @Test
    void digestTenantAnswersTheChallengeAndNeverSendsBasic() {
        SampleCase sample = sample("mobile-three-devices");
        // no challenge kept from an earlier test: the first download waits for one (DigestNonceReuseTest)
        digestChallenges.clear();
        replay(sample);

        List<LoggedRequest> dms = dmsRequests();
        assertThat(dms).hasSize(2);
        assertThat(dms.get(0).containsHeader("Authorization")).as("first request waits for the challenge").isFalse();
        assertThat(dms.get(1).getHeader("Authorization")).startsWith("Digest ").contains("username=\"alice.mobile.dms\"")
                .doesNotContain("x-fake-device-mobile");
    }

    @Test
    void basicTenantSendsBasicWithTheFirstRequest() {
        SampleCase sample = sample("basic-dms");
        replay(sample);

        List<LoggedRequest> dms = dmsRequests();
        assertThat(dms).hasSize(1);
        assertThat(dms.get(0).getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString((sample.backend("dms.user") + ":" + sample.backend("dms.password")).getBytes()));
    }

    private static List<LoggedRequest> xsiRequests() {
        return requests(SampleBackend.XSI_ROOT);
    }

    private static List<LoggedRequest> dmsRequests() {
        return requests("/dms/");
    }

    private static List<LoggedRequest> requests(String prefix) {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith(prefix))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }
}
