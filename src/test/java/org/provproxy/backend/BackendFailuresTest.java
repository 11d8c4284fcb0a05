package org.provproxy.backend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.shaping.SaxonConfiguration;

class BackendFailuresTest {

    private final BackendFailures failures = new BackendFailures(new XmlDocuments(SaxonConfiguration.newProcessor()));

    @ParameterizedTest
    @CsvSource({
        "401,'',WRONG_CREDENTIALS",
        "400,100003,USER_GONE",
        "400,100002,BACKEND_REJECTED",
        "400,'',BACKEND_REJECTED",
        "403,110690,BACKEND_REJECTED",
        "404,'',BACKEND_REJECTED",
        "429,'',BACKEND_UNAVAILABLE",
        "500,'',BACKEND_UNAVAILABLE",
        "503,102001,BACKEND_UNAVAILABLE"})
    void xsiStatusAndErrorCode(int status, String errorCode, FailureKind kind) {
        byte[] body = errorCode.isEmpty() ? new byte[0] : ("<ErrorInfo xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<summaryEnglish>x</summaryEnglish><errorCode>" + errorCode + "</errorCode></ErrorInfo>")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> failures.xsi(status, body, "application/xml", "profile"))
                .isInstanceOfSatisfying(ProvisioningFailure.class, f -> Assertions.assertThat(f.kind()).isEqualTo(kind));
    }

    @ParameterizedTest
    @CsvSource({"401,DMS_REJECTED", "403,DMS_REJECTED", "404,BACKEND_REJECTED", "429,BACKEND_UNAVAILABLE",
        "500,BACKEND_UNAVAILABLE"})
    void dmsStatus(int status, FailureKind kind) {
        assertThatThrownBy(() -> failures.dms(status, "alice-mobile"))
                .isInstanceOfSatisfying(ProvisioningFailure.class, f -> {
                    Assertions.assertThat(f.kind()).isEqualTo(kind);
                    Assertions.assertThat(f.deviceName()).isEqualTo("alice-mobile");
                });
    }

    @ParameterizedTest
    @CsvSource({"120,120", "0,1", "-5,1", "31536000,3600", "soon,", "'',",
        "'Sun, 06 Nov 1994 08:50:30 GMT',90", "'Sun, 06 Nov 1994 08:49:00 GMT',1"})
    void retryAfterIsReadInSecondsOrAsADateAndBounded(String value, Long seconds) {
        java.time.Instant now = java.time.Instant.parse("1994-11-06T08:49:00Z");
        java.time.Duration after = BackendFailures.retryAfter(value, now);
        Assertions.assertThat(after == null ? null : after.toSeconds()).isEqualTo(seconds);
    }

    @org.junit.jupiter.api.Test
    void theRetryAfterOfAnOverloadedPlatformTravelsWithTheFailure() {
        assertThatThrownBy(() -> failures.xsi(429, new byte[0], null, "profile", "120"))
                .isInstanceOfSatisfying(ProvisioningFailure.class, f -> {
                    Assertions.assertThat(f.kind()).isEqualTo(FailureKind.BACKEND_UNAVAILABLE);
                    Assertions.assertThat(f.retryAfter()).hasSeconds(120);
                });
        assertThatThrownBy(() -> failures.xsi(500, new byte[0], null, "profile", "120"))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        f -> Assertions.assertThat(f.retryAfter()).as("500 names no time to come back").isNull());
    }
}
