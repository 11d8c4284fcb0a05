package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import org.provproxy.ops.SampleCase;

/**
 * The XSI and DMS stand-in for tests: a WireMock server on loopback answering what a {@link SampleCase} recorded.
 * XSI answers only with the case's Basic credentials (else 401, as BroadWorks); the DMS challenges Digest or Basic
 * as the case says and serves the file only to correct credentials of that scheme.
 */
final class SampleBackend {

    static final String XSI_ROOT = "/xsi/com.broadsoft.xsi-actions";
    /**
     * Stub priorities (WireMock: the lowest number wins): tests override anything at 0; the case's resources from
     * 1 (many query parameters) to {@value}; then the catch-alls, 404 for right credentials and 401 for the rest.
     */
    static final int RESOURCE_PRIORITY = 10;
    private static final int MISSING_PRIORITY = 15;
    private static final int REFUSED_PRIORITY = 19;

    private static SampleBackend instance;
    private final WireMockServer server;

    private SampleBackend() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        server.start();
    }

    /** One server for the whole test JVM, so Spring can reuse one application context across test classes. */
    static synchronized SampleBackend shared() {
        if (instance == null) {
            instance = new SampleBackend();
        }
        return instance;
    }

    WireMockServer server() {
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    String xsiUrl() {
        return baseUrl() + XSI_ROOT;
    }

    /** Replaces all stubs and the request log with what {@code sample} recorded. */
    void serve(SampleCase sample) {
        serve(sample, 0);
    }

    /** As {@link #serve(SampleCase)}, every XSI answer delayed by at least {@code xsiDelayMs}. */
    void serve(SampleCase sample, int xsiDelayMs) {
        server.resetAll();
        String xsiUser = sample.backend("xsi.user");
        String xsiPassword = sample.backend("xsi.password");
        String dmsUser = sample.backend("dms.user");
        String dmsPassword = sample.backend("dms.password");
        boolean digest = "digest".equalsIgnoreCase(sample.backend("dms.auth"));

        for (Map.Entry<String, SampleCase.Answer> resource : sample.resources(baseUrl()).entrySet()) {
            String name = resource.getKey();
            if (name.startsWith("xsi/")) {
                // xsi/directories/Enterprise@start=1001: only that query; the more parameters, the higher the priority
                SampleCase.ResourceName resourceName = SampleCase.ResourceName.parse(name);
                // a '#<word>' suffix names a second answer of the same resource for another method (a call
                // feature's GET and its PUT: xsi/services/DoNotDisturb and xsi/services/DoNotDisturb#put)
                String resourcePath = resourceName.path().replaceFirst("#[A-Za-z0-9-]+$", "");
                String path = XSI_ROOT + "/v2.0/user/" + xsiUser + "/" + resourcePath.substring("xsi/".length());
                // GET, or the methods the case gives the resource (an XSI action: PUT MarkAsRead, DELETE a message;
                // GET,PUT for a location changed and read back)
                for (String method : resource.getValue().methods()) {
                    MappingBuilder xsi = request(method, urlPathEqualTo(path))
                            .withBasicAuth(xsiUser, xsiPassword)
                            .atPriority(priority(resourceName));
                    for (Map.Entry<String, String> parameter : resourceName.query().entrySet()) {
                        xsi = xsi.withQueryParam(parameter.getKey(), equalTo(parameter.getValue()));
                    }
                    server.stubFor(xsi.willReturn(response(resource.getValue(), xsiDelayMs)));
                }
            } else {
                MappingBuilder file = get(urlPathEqualTo("/" + name)).atPriority(RESOURCE_PRIORITY);
                file = digest ? file.andMatching(new DigestAuthMatcher(dmsUser, dmsPassword))
                        : file.withBasicAuth(dmsUser, dmsPassword);
                server.stubFor(file.willReturn(response(resource.getValue(), 0)));
            }
        }
        // XSI: right credentials but unknown resource -> 404; anything else -> 401 with no body, like BroadWorks
        if (xsiUser != null) {
            server.stubFor(any(urlPathMatching(XSI_ROOT + "/.*")).withBasicAuth(xsiUser, xsiPassword)
                    .atPriority(MISSING_PRIORITY).willReturn(aResponse().withStatus(404)));
        }
        server.stubFor(any(urlPathMatching(XSI_ROOT + "/.*")).atPriority(REFUSED_PRIORITY)
                .willReturn(aResponse().withStatus(401)));
        // DMS: right credentials but no such file -> 404; otherwise a challenge of the configured scheme
        if (dmsUser != null) {
            MappingBuilder missing = any(urlPathMatching("/dms/.*")).atPriority(MISSING_PRIORITY);
            missing = digest ? missing.andMatching(new DigestAuthMatcher(dmsUser, dmsPassword))
                    : missing.withBasicAuth(dmsUser, dmsPassword);
            server.stubFor(missing.willReturn(aResponse().withStatus(404)));
        }
        server.stubFor(any(urlPathMatching("/dms/.*")).atPriority(REFUSED_PRIORITY).willReturn(aResponse()
                .withStatus(401)
                .withHeader("WWW-Authenticate", digest ? DigestAuthMatcher.challenge() : "Basic realm=\"DMS\"")));
    }

    /**
     * A resource's stub: {@value #RESOURCE_PRIORITY} without a query part, one better per query parameter (WireMock:
     * the lower, the earlier), so the most specific answer that matches wins, as on the demo backend.
     */
    static int priority(SampleCase.ResourceName resource) {
        return Math.max(1, RESOURCE_PRIORITY - resource.query().size());
    }

    private static ResponseDefinitionBuilder response(SampleCase.Answer answer, int minimumDelayMs) {
        ResponseDefinitionBuilder response = aResponse().withStatus(answer.status()).withBody(answer.body());
        if (answer.contentType() != null) {
            response = response.withHeader("Content-Type", answer.contentType());
        }
        int delay = Math.max(answer.delayMs(), minimumDelayMs);
        if (delay > 0) {
            response = response.withFixedDelay(delay);
        }
        if (answer.fault() != null) {
            response = response.withFault(Fault.valueOf(answer.fault()));
        }
        return response;
    }
}
