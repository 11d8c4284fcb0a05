package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/** Unless an operator turns it on, /provisioning/explain does not exist. */
class ExplainDisabledTest extends ProxyTestSupport {

    @Test
    void explainIsOffByDefault() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        assertThat(proxy().send("GET", "/provisioning/explain", sample.params(), Map.of()).statusCode()).isEqualTo(404);
        assertThat(BACKEND.server().getAllServeEvents()).isEmpty();
    }
}
