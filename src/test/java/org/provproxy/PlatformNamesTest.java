package org.provproxy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * The app's %platform% is its own string; a tenant maps names it knows better (acme: ChromeOS = desktop), anything
 * else follows the built-in rule (samples unknown-platform, platform-os-x-desktop).
 */
class PlatformNamesTest extends ProxyTestSupport {

    @Test
    void aTenantsAliasProvisionsThePlatformItNames() {
        SampleCase desktop = sample("desktop-user");
        BACKEND.serve(desktop);
        Map<String, String> params = new HashMap<>(desktop.params());
        params.put("platform", "Chrome OS");
        SampleCall call = new SampleCall(desktop, params, Map.of(), null, desktop.backend("xsi.user"), null);

        AnswerAssertions.assertAnswer(call, proxy().send(call), tokens);
    }
}
