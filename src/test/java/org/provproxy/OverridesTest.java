package org.provproxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.provproxy.ops.SampleCase;

/** The samples of the example overrides in xslt/tenants/ pass only with the override (SamplesTest: with it). */
class OverridesTest extends ProxyTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"legacyco-desktop-lines", "deptco-department", "deptco-no-department",
            "pickco-choose-device-line-port"})
    void withoutTheOverrideTheSampleFails(String name) {
        SampleCase sample = sample(name);
        BACKEND.serve(sample);
        SampleCall call = SampleCall.of(sample, tokens);
        Map<String, String> params = new HashMap<>(call.params());
        params.put("cloud_id", "acme"); // same XSI, same settings, default stylesheets
        SampleCall withoutOverride = new SampleCall(sample, params, call.headers(), null, call.userId(), null);

        assertThatThrownBy(() -> AnswerAssertions.assertAnswer(withoutOverride, proxy().send(withoutOverride), tokens))
                .isInstanceOf(AssertionError.class);
    }
}
