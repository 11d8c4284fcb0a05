package org.provproxy.backend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

class BackendFailuresTest {

    private final BackendFailures failures = new BackendFailures(new XmlDocuments());

    @ParameterizedTest
    @CsvSource({
        "401,'',WRONG_CREDENTIALS",
        "400,100003,USER_GONE",
        "400,100002,BACKEND_REJECTED",
        "400,'',BACKEND_REJECTED",
        "403,110690,BACKEND_REJECTED",
        "404,'',BACKEND_REJECTED",
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
    @CsvSource({"401,DMS_REJECTED", "403,DMS_REJECTED", "404,BACKEND_REJECTED", "500,BACKEND_UNAVAILABLE"})
    void dmsStatus(int status, FailureKind kind) {
        assertThatThrownBy(() -> failures.dms(status, "alice-mobile"))
                .isInstanceOfSatisfying(ProvisioningFailure.class, f -> {
                    Assertions.assertThat(f.kind()).isEqualTo(kind);
                    Assertions.assertThat(f.deviceName()).isEqualTo("alice-mobile");
                });
    }
}
