package org.provproxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.provproxy.config.TenantSettings;

class ProvisioningRequestReaderTest {

    @ParameterizedTest
    @CsvSource({"'',mobile", "mobile,mobile", "iOS,mobile", "Android,mobile", "ANDROID,mobile", "iPadOS,mobile",
        "desktop,desktop", "Windows,desktop", "macOS,desktop", "Mac,desktop", "Linux,desktop", "Desktop,desktop",
        "OS X,desktop", "Mac OS X,desktop", "mac_os_x,desktop", "' windows ',desktop"})
    void platformNamesOfTheApp(String given, String platform) {
        assertThat(ProvisioningRequestReader.platform(given, Map.of())).isEqualTo(platform);
    }

    /** %platform% is the app's own string: a new one must never block a sign-in. */
    @ParameterizedTest
    @CsvSource({"BlackBerry", "tablet", "visionOS", "'Windows Phone'", "'<script>'"})
    void anyOtherPlatformNameIsMobile(String given) {
        assertThat(ProvisioningRequestReader.platform(given, Map.of())).isEqualTo("mobile");
    }

    @ParameterizedTest
    @CsvSource({"ChromeOS,desktop", "chrome os,desktop", "Linux,mobile", "Windows,desktop", "BlackBerry,mobile"})
    void aTenantsAliasesComeFirst(String given, String platform) {
        Map<String, String> aliases = Map.of(TenantSettings.platformKey("Chrome OS"), "desktop",
                TenantSettings.platformKey("Linux"), "mobile");
        assertThat(ProvisioningRequestReader.platform(given, aliases)).isEqualTo(platform);
    }

    @Test
    void eachUnknownPlatformNameIsLoggedOnceAndOnlyAFewAtAll() {
        UnknownPlatforms unknown = new UnknownPlatforms(3);
        assertThat(unknown.note("BlackBerry", "acme")).isTrue();
        assertThat(unknown.note("blackberry ", "acme")).as("the same name").isFalse();
        assertThat(unknown.note("BlackBerry", "globex")).as("once, whichever tenant").isFalse();
        assertThat(unknown.note("Symbian", "acme")).isTrue();
        assertThat(unknown.note("Tizen", "acme")).isTrue();
        assertThat(unknown.note("webOS", "acme")).as("bounded: a flood of names logs nothing more").isFalse();
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
