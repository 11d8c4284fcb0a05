package org.provproxy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.provproxy.account.AccountTokens;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The proxy as it runs, on a random port, with tenants whose XSI and DMS are the WireMock stand-in:
 * {@code acme} (Digest DMS, logout 410, a static dial action, platform alias ChromeOS = desktop) and {@code basicco} (Basic DMS, logout 419 also
 * when the device is removed, no click-to-dial action) with caches off, so each sample sees only its own backend; {@code cached} (Digest DMS) with the
 * default caches, for the caching tests; {@code dirco} (directory read with the tenant's own directory credentials,
 * directories kept 10 minutes); {@code legacyco}, {@code deptco} and {@code pickco}, the tenants of the
 * example stylesheet overrides in xslt/tenants/; {@link #OPTION_TENANTS}, each with one account option away from
 * its default (blf users, blf off, tls-transport tls, send-caller-id, network-id enterprise, network-id off). Demo
 * off, so a public URL is set; no default tenant; timeouts of 1 s keep the slow cases short. Test
 * classes that need nothing else share this one application context.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "provisioning.demo.enabled=false",
    "provisioning.default-tenant=",
    "provisioning.public-url=" + ProxyTestSupport.PUBLIC_URL,
    "provisioning.backend-timeout=1s",
    // no XSI probe: tests count the stand-in's requests (HealthProbesTest probes in a context of its own)
    "provisioning.health.xsi-probe-interval=0s",
    // Spring Boot's tests export no metrics unless told: /actuator/prometheus as in production (MetricsTest)
    "management.prometheus.metrics.export.enabled=true",
    // the suite's wrong-password cases all come from one address and few users: FailedSignInLimitsTest has the limits
    "provisioning.failed-sign-ins.per-user=1000",
    "provisioning.failed-sign-ins.per-address=1000",
    "provisioning.token.keys[0].id=test-2026",
    "provisioning.token.keys[0].secret=" + ProxyTestSupport.TEST_KEY,
    "provisioning.token.keys[1].id=test-2025",
    "provisioning.token.keys[1].secret=" + ProxyTestSupport.OLD_TEST_KEY,
    "provisioning.tenants.acme.user-domain=acme.example",
    "provisioning.tenants.acme.use-digest-auth=true",
    "provisioning.tenants.acme.cache-ttl=0s",
    "provisioning.tenants.acme.stale-if-error=0s",
    "provisioning.tenants.acme.directory.cache-ttl=0s",
    "provisioning.tenants.acme.dial-actions.statics[0].id=operator",
    "provisioning.tenants.acme.dial-actions.statics[0].label=Call via operator",
    "provisioning.tenants.acme.dial-actions.statics[0].url=https://operator.acme.example/dial?n=%number%",
    "provisioning.tenants.acme.platform-aliases.ChromeOS=desktop",
    "provisioning.tenants.basicco.user-domain=basic.example",
    "provisioning.tenants.basicco.use-digest-auth=false",
    "provisioning.tenants.basicco.cache-ttl=0s",
    "provisioning.tenants.basicco.stale-if-error=0s",
    "provisioning.tenants.basicco.logout-status-code=419",
    "provisioning.tenants.basicco.logout-when-device-removed=true",
    "provisioning.tenants.basicco.dial-actions.call-from-other-phone=false",
    "provisioning.tenants.cached.user-domain=acme.example",
    "provisioning.tenants.dirco.user-domain=acme.example",
    "provisioning.tenants.dirco.cache-ttl=0s",
    "provisioning.tenants.dirco.directory.user=directory-admin@acme.example",
    "provisioning.tenants.dirco.directory.password=x-fake-directory-admin",
    "provisioning.tenants.legacyco.cache-ttl=0s",
    "provisioning.tenants.legacyco.stale-if-error=0s",
    "provisioning.tenants.deptco.cache-ttl=0s",
    "provisioning.tenants.deptco.stale-if-error=0s",
    "provisioning.tenants.pickco.cache-ttl=0s",
    "provisioning.tenants.pickco.stale-if-error=0s",
    "provisioning.tenants.blfusers.blf=users",
    "provisioning.tenants.blfusers.cache-ttl=0s",
    "provisioning.tenants.blfusers.stale-if-error=0s",
    "provisioning.tenants.blfoff.blf=off",
    "provisioning.tenants.blfoff.cache-ttl=0s",
    "provisioning.tenants.blfoff.stale-if-error=0s",
    "provisioning.tenants.sipsco.tls-transport=tls",
    "provisioning.tenants.sipsco.cache-ttl=0s",
    "provisioning.tenants.sipsco.stale-if-error=0s",
    "provisioning.tenants.callerid.send-caller-id=true",
    "provisioning.tenants.callerid.cache-ttl=0s",
    "provisioning.tenants.callerid.stale-if-error=0s",
    "provisioning.tenants.netenterprise.network-id=enterprise",
    "provisioning.tenants.netenterprise.cache-ttl=0s",
    "provisioning.tenants.netenterprise.stale-if-error=0s",
    "provisioning.tenants.netoff.network-id=off",
    "provisioning.tenants.netoff.cache-ttl=0s",
    "provisioning.tenants.netoff.stale-if-error=0s"
})
public abstract class ProxyTestSupport {

    /** Where the app reaches the proxy (dial action URLs): what {@code ${proxy}} in samples' answers stands for. */
    public static final String PUBLIC_URL = "https://prov.example.com";
    /** Test-only token keys (32 bytes each, base64): never use outside tests. */
    public static final String TEST_KEY = "dGVzdC1vbmx5LXRva2VuLWtleS0yMDI2LXh4eHh4eHg=";
    public static final String OLD_TEST_KEY = "dGVzdC1vbmx5LXRva2VuLWtleS0yMDI1LXh4eHh4eHg=";
    static final Path SAMPLES = Path.of("samples");
    /** Tenants whose account options differ from the defaults: their samples hold only with these settings. */
    static final List<String> OPTION_TENANTS = List.of("blfusers", "blfoff", "sipsco", "callerid",
            "netenterprise", "netoff");
    static final SampleBackend BACKEND = SampleBackend.shared();

    /** Every tenant of the tests; each one's XSI is the stand-in. */
    static List<String> tenants() {
        List<String> all = new java.util.ArrayList<>(List.of("acme", "basicco", "cached", "dirco", "legacyco", "deptco",
                "pickco"));
        all.addAll(OPTION_TENANTS);
        return all;
    }

    @LocalServerPort
    int port;

    @Autowired
    AccountTokens tokens;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        for (String tenant : tenants()) {
            registry.add("provisioning.tenants." + tenant + ".xsi-url", BACKEND::xsiUrl);
        }
    }

    ProxyClient proxy() {
        return new ProxyClient(port);
    }

    /** Serves the sample's backend, sends its request and checks the answer against the sample. */
    HttpResponse<byte[]> replay(SampleCase sample) {
        BACKEND.serve(sample);
        return check(sample);
    }

    /**
     * Sends the sample's request to a backend already served and checks the answer against the sample; with
     * {@code prime=true}, after the same request without validators, whose answer gives them.
     */
    HttpResponse<byte[]> check(SampleCase sample) {
        SampleCall call = SampleCall.of(sample, tokens);
        if (sample.prime()) {
            call = call.primedBy(proxy().send(call.unprimed()));
        }
        HttpResponse<byte[]> response = proxy().send(call);
        AnswerAssertions.assertAnswer(call, response, tokens);
        return response;
    }

    static SampleCase sample(String name) {
        return SampleCase.find(SAMPLES, name).orElseThrow(() -> new AssertionError("no sample " + name));
    }
}
