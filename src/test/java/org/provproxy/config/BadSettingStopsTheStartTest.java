package org.provproxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.ProvisioningProxyApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The application itself (not a slice of it) refuses to start on a bad setting, and tells the operator which key
 * is wrong and what it expects, without printing a secret it was given.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadSettingStopsTheStartTest {

    private static final String SHORT_SECRET = "c2hvcnQtYnV0LXNlY3JldA==";

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            provisioning.tenants.acme.xsi-url=xsp.acme.example | provisioning.tenants.acme.xsi-url must be an http(s) URL
            provisioning.tenants.acme.xsi-url=https://xsp.acme.example,provisioning.tenants.acme.logout-status-code=401 | provisioning.tenants.acme.logout-status-code must be a 4xx
            provisioning.tenants.acme.xsi-url=https://xsp.acme.example,provisioning.tenants.acme.blf=all | provisioning.tenants.acme.blf must be list, users or off, not 'all'
            provisioning.tenants.acme.xsi-url=https://xsp.acme.example,provisioning.tenants.acme.tls-transport=sips | provisioning.tenants.acme.tls-transport must be "tls+sip:" (quoted in YAML) or tls, not 'sips'
            provisioning.demo.enabled=false | provisioning.token.keys is empty
            provisioning.token.keys[0].id=k1,provisioning.token.keys[0].secret=%s | provisioning.token.keys[0] (id 'k1'): secret must be 32 random bytes
            provisioning.explain.enabled=true,provisioning.operator.user=operator | provisioning.operator.user and .password go together
            provisioning.demo.enabled=false,provisioning.token.keys[0].id=k1,provisioning.token.keys[0].secret=dGVzdC1vbmx5LXRva2VuLWtleS0yMDI2LXh4eHh4eHg=,provisioning.tenants.acme.xsi-url=https://xsp.acme.example | provisioning.public-url is not set
            provisioning.public-url=http://prov.example.com,provisioning.demo.enabled=false,provisioning.token.keys[0].id=k1,provisioning.token.keys[0].secret=dGVzdC1vbmx5LXRva2VuLWtleS0yMDI2LXh4eHh4eHg= | provisioning.public-url must be the https base URL
            """)
    void aBadSettingStopsTheStartNamingTheKey(String settings, String reason, CapturedOutput output) {
        List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--provisioning.reload.interval=0s"));
        for (String setting : settings.formatted(SHORT_SECRET).split(",")) {
            args.add("--" + setting);
        }
        SpringApplicationBuilder application = new SpringApplicationBuilder(ProvisioningProxyApplication.class)
                .web(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run(args.toArray(String[]::new)).close())
                .rootCause().hasMessageContaining(reason);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "Reason: " + reason)
                .doesNotContain(SHORT_SECRET);
    }
}
