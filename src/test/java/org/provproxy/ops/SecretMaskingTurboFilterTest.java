package org.provproxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the masking of HttpClient's wire and header logs hides, and what it leaves readable. */
class SecretMaskingTurboFilterTest {

    @Test
    void masksCredentialsAndSecretElements() {
        Map<String, String> masked = Map.of(
                "Authorization: Basic YWxpY2U6eA==", "Authorization: ***",
                "\"Authorization: Digest username=\"a\", response=\"0f\"[\\r][\\n]\"", "\"Authorization: ***[\\r][\\n]\"",
                "proxy-authorization: Basic eDp4", "proxy-authorization: ***",
                "Set-Cookie: JSESSIONID=abc; Path=/", "Set-Cookie: ***",
                "\"   <password>x-fake-sip</password>[\\n]\"", "\"   <password>***</password>[\\n]\"",
                "<ns:authPassword type=\"x\">x-fake</ns:authPassword>", "<ns:authPassword type=\"x\">***</ns:authPassword>");
        masked.forEach((line, logged) -> assertThat(SecretMaskingTurboFilter.mask(line)).isEqualTo(logged));
    }

    @Test
    void leavesTheRestReadable() {
        for (String line : new String[] {"WWW-Authenticate: Digest realm=\"DMS\", nonce=\"n\"",
            "<passwordExpiresDays>-1</passwordExpiresDays>", "\"<deviceUserNamePassword>[\\n]\"",
            "GET /v2.0/user/alice%40acme.example/profile HTTP/1.1", "<userName>alice.mobile.dms</userName>"}) {
            assertThat(SecretMaskingTurboFilter.mask(line)).isEqualTo(line);
        }
    }
}
