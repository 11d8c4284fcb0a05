package org.provproxy.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/** What a call feature's change accepts, before XSI sees it; and the fields put in XSI's schema order. */
class FeatureChangeTest {

    @ParameterizedTest
    @ValueSource(strings = {"5002", "+15551234567", "*72", "#31#", "sip:voicemail@acme.example",
            "sips:alice@acme.example:5061", "tel:+15551234567", "SIP:bob@acme.example;user=phone", ""})
    void numbersBroadWorksTakes(String number) {
        assertThat(change(Feature.CALL_FORWARDING_ALWAYS, "forwardToPhoneNumber", number).values())
                .containsEntry("forwardToPhoneNumber", number);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"555 1234,5551234", "1-555-1234,15551234",
            "'+1 (202) 555-0100',+12025550100", "' 5002 ',5002"})
    void numbersAsPeopleWriteThemAreSentAsDialled(String written, String sent) {
        assertThat(change(Feature.CALL_FORWARDING_ALWAYS, "forwardToPhoneNumber", written).values())
                .containsEntry("forwardToPhoneNumber", sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "++1555", "call me", "http://acme.example",
            "sip:", "sip:a b@acme.example", "sip:<alice@acme.example>", "sip:\"a\"@acme.example",
            "1234567890123456789012345678901"})
    void numbersRefusedNamingTheField(String number) {
        assertThatThrownBy(() -> change(Feature.CALL_FORWARDING_ALWAYS, "forwardToPhoneNumber", number))
                .isInstanceOfSatisfying(ProvisioningFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(FailureKind.BAD_FEATURE_VALUE);
                    assertThat(failure.deviceName()).isEqualTo("forwardToPhoneNumber");
                });
    }

    @Test
    void aSipUriIsBoundedAsBroadWorksBoundsIt() {
        String longest = "sip:" + "a".repeat(157);
        assertThat(change(Feature.REMOTE_OFFICE, "remoteOfficeNumber", longest).values()).hasSize(1);
        assertThatThrownBy(() -> change(Feature.REMOTE_OFFICE, "remoteOfficeNumber", longest + "a"))
                .isInstanceOf(ProvisioningFailure.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUE", "True", "1", "yes", "on", ""})
    void switchesAreTrueOrFalseOnly(String value) {
        assertThatThrownBy(() -> change(Feature.DO_NOT_DISTURB, "active", value))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        failure -> assertThat(failure.deviceName()).isEqualTo("active"));
    }

    @Test
    void ringsFromTwoToTwenty() {
        assertThat(change(Feature.CALL_FORWARDING_NO_ANSWER, "numberOfRings", "2").values())
                .containsEntry("numberOfRings", "2");
        assertThat(change(Feature.CALL_FORWARDING_NO_ANSWER, "numberOfRings", "20").values())
                .containsEntry("numberOfRings", "20");
        for (String refused : new String[] {"1", "21", "0", "-3", "5.0", "", "100"}) {
            assertThatThrownBy(() -> change(Feature.CALL_FORWARDING_NO_ANSWER, "numberOfRings", refused))
                    .as(refused).isInstanceOf(ProvisioningFailure.class);
        }
    }

    @Test
    void fieldsComeInTheSchemasOrderAndTheRequestsOwnParametersAreNoFields() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("token", "x-sealed");
        given.put("numberOfRings", "5");
        given.put("locale", "de");
        given.put("forwardToPhoneNumber", "5002");
        given.put("active", "true");
        assertThat(FeatureChange.of(Feature.CALL_FORWARDING_NO_ANSWER, given).values().keySet())
                .containsExactly("active", "forwardToPhoneNumber", "numberOfRings");
    }

    @Test
    void aFieldOfAnotherFeatureOrNoneIsRefused() {
        assertThatThrownBy(() -> change(Feature.DO_NOT_DISTURB, "forwardToPhoneNumber", "5002"))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(FailureKind.BAD_FEATURE_VALUE));
        assertThatThrownBy(() -> FeatureChange.of(Feature.DO_NOT_DISTURB, Map.of("token", "x-sealed")))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(FailureKind.FEATURE_NOTHING_TO_CHANGE));
    }

    private static FeatureChange change(Feature feature, String field, String value) {
        return FeatureChange.of(feature, Map.of(field, value));
    }
}
