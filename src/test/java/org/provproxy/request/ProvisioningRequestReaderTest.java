package org.provproxy.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

class ProvisioningRequestReaderTest {

    @ParameterizedTest
    @CsvSource({"'',mobile", "mobile,mobile", "iOS,mobile", "Android,mobile", "ANDROID,mobile",
        "desktop,desktop", "Windows,desktop", "macOS,desktop", "Mac,desktop", "Linux,desktop", "Desktop,desktop"})
    void platformNamesOfTheApp(String given, String platform) {
        assertThat(ProvisioningRequestReader.platform(given)).isEqualTo(platform);
    }

    @ParameterizedTest
    @CsvSource({"blackberry", "tablet"})
    void unknownPlatformIsRefused(String given) {
        assertThatThrownBy(() -> ProvisioningRequestReader.platform(given))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(FailureKind.UNKNOWN_PLATFORM));
    }

    @ParameterizedTest
    @CsvSource({"alice,acme.example,alice@acme.example", "alice@other.example,acme.example,alice@other.example",
        "alice,'',alice"})
    void bareLoginNamesGetTheTenantsDomain(String username, String domain, String userId) {
        assertThat(ProvisioningRequestReader.userId(username, domain)).isEqualTo(userId);
    }

    @ParameterizedTest
    @CsvSource({"de-de,,de", "es,,es", "fr-fr,,en", ",'de-AT;q=0.9,en;q=0.5',de", ",'es-ES,es;q=0.9',es", ",,en",
        "'not a tag!',,en", "en-us,de,en"})
    void languageFromLocaleThenAcceptLanguage(String locale, String acceptLanguage, String language) {
        assertThat(ProvisioningRequestReader.locale(locale, acceptLanguage))
                .isEqualTo(Locale.forLanguageTag(language));
    }
}
