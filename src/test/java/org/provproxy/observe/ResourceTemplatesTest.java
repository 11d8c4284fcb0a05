package org.provproxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.provproxy.backend.BackendCall;

/** A backend call's resource label is a template: ids the request chose (a voice message, a location) never show. */
class ResourceTemplatesTest {

    private static String resource(BackendCall.Backend backend, String resource) {
        return RequestObservations.resource(new BackendCall(backend, "GET", resource, "https://xsi.example/" + resource,
                null, null, Duration.ZERO, false, null, null, null, null, 0));
    }

    @Test
    void xsiNamesStayIdsDoNot() {
        assertThat(resource(BackendCall.Backend.XSI, "profile")).isEqualTo("profile");
        assertThat(resource(BackendCall.Backend.XSI, "profile/Device")).isEqualTo("profile/Device");
        assertThat(resource(BackendCall.Backend.XSI, "services/SpeedDial100")).isEqualTo("services/SpeedDial100");
        assertThat(resource(BackendCall.Backend.XSI, "directories/Enterprise")).isEqualTo("directories/Enterprise");
        assertThat(resource(BackendCall.Backend.XSI, "VoiceMessagingMessages/abcdef/MarkAsRead"))
                .isEqualTo("VoiceMessagingMessages/{id}/MarkAsRead");
        assertThat(resource(BackendCall.Backend.XSI, "VoiceMessagingMessages/1c2e-9f.x:y"))
                .isEqualTo("VoiceMessagingMessages/{id}");
        assertThat(resource(BackendCall.Backend.XSI, "services/BroadWorksAnywhere/Location/+15551234"))
                .isEqualTo("services/BroadWorksAnywhere/Location/{id}");
        assertThat(resource(BackendCall.Backend.XSI, "services/BroadWorksAnywhere/Location/sales"))
                .isEqualTo("services/BroadWorksAnywhere/Location/{id}");
    }

    @Test
    void aDeviceFileIsDms() {
        assertThat(resource(BackendCall.Backend.DMS, "https://dms.example/alice/mobile-config.xml")).isEqualTo("dms");
    }
}
