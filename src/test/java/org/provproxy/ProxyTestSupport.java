package org.provproxy;

import java.nio.file.Path;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The proxy as it runs, on a random port, with two tenants whose XSI and DMS are the WireMock stand-in:
 * {@code acme} (Digest DMS) and {@code basicco} (Basic DMS). No default tenant; timeouts of 1 s keep the slow
 * cases short. Test classes that need nothing else share this one application context.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "provisioning.demo.enabled=false",
    "provisioning.default-tenant=",
    "provisioning.backend-timeout=1s",
    "provisioning.tenants.acme.user-domain=acme.example",
    "provisioning.tenants.acme.use-digest-auth=true",
    "provisioning.tenants.basicco.user-domain=basic.example",
    "provisioning.tenants.basicco.use-digest-auth=false"
})
abstract class ProxyTestSupport {

    static final Path SAMPLES = Path.of("samples");
    static final SampleBackend BACKEND = SampleBackend.shared();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("provisioning.tenants.acme.xsi-url", BACKEND::xsiUrl);
        registry.add("provisioning.tenants.basicco.xsi-url", BACKEND::xsiUrl);
    }

    ProxyClient proxy() {
        return new ProxyClient(port);
    }

    static SampleCase sample(String name) {
        return SampleCase.find(SAMPLES, name).orElseThrow(() -> new AssertionError("no sample " + name));
    }
}
