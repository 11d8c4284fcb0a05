package org.provproxy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/** With a default tenant configured, a request without a known Cloud ID is provisioned by that tenant. */
@TestPropertySource(properties = "provisioning.default-tenant=ACME")
class DefaultTenantTest extends ProxyTestSupport {

    @Test
    void missingOrUnknownCloudIdFallsBackToTheDefaultTenant() {
        SampleCase sample = sample("mobile-three-devices");
        for (String cloudId : new String[] {null, "", "no-such-cloud-id"}) {
            BACKEND.serve(sample);
            Map<String, String> params = new HashMap<>(sample.params());
            params.remove("cloud_id");
            if (cloudId != null) {
                params.put("cloud_id", cloudId);
            }
            SampleCall call = new SampleCall(sample, params, Map.of(), null, sample.backend("xsi.user"), null);
            AnswerAssertions.assertAnswer(call, proxy().send(call), tokens);
        }
    }
}
