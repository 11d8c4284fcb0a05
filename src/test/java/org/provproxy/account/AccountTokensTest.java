package org.provproxy.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jwt.EncryptedJWT;
import org.junit.jupiter.api.Test;
import org.provproxy.ProxyTestSupport;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.config.ConfigurationProblems;
import org.provproxy.config.ProvisioningProperties.TokenKey;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

class AccountTokensTest {

    private static final AccountToken ALICE = new AccountToken("acme", "alice@acme.example", "x-fake-portal-alice",
            Instant.parse("2026-01-02T03:04:05Z"), "hash", null);

    private static AccountTokens tokens(boolean demo, String... idsAndSecrets) {
        return new AccountTokens(properties(demo, idsAndSecrets));
    }

    private static ProvisioningProperties properties(boolean demo, String... idsAndSecrets) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setEnabled(demo);
        List<TokenKey> keys = new ArrayList<>();
        for (int i = 0; i < idsAndSecrets.length; i += 2) {
            TokenKey key = new TokenKey();
            key.setId(idsAndSecrets[i]);
            key.setSecret(idsAndSecrets[i + 1]);
            keys.add(key);
        }
        properties.getToken().setKeys(keys);
        return properties;
    }

    /** What stops the start for these keys (the validator of provisioning.*, run when the settings are bound). */
    private static List<String> problems(boolean demo, String... idsAndSecrets) {
        return ConfigurationProblems.of(properties(demo, idsAndSecrets));
    }

    @Test
    void aLinkOpensOnlyForItsOwnUseAndNeverAsAnAccountToken() {
        AccountTokens tokens = tokens(false, "k1", ProxyTestSupport.TEST_KEY);
        String link = tokens.sealLink(ALICE, "voicemail-audio:message-0042", Duration.ofMinutes(5));
        String account = tokens.seal(ALICE);

        AccountToken opened = tokens.openLink(link, "voicemail-audio:message-0042");
        assertThat(opened.userId()).isEqualTo("alice@acme.example");
        assertThat(opened.password()).isEqualTo("x-fake-portal-alice");
        assertThat(opened.expires()).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
        // an id long enough that a random sealed string cannot hold it by chance (a two-letter "m1" did, in CI)
        assertThat(link).doesNotContain("alice", "x-fake-portal-alice", "message-0042");
        assertThatThrownBy(() -> tokens.openLink(link, "voicemail-audio:message-0043"))
                .isInstanceOf(ProvisioningFailure.class)
                .extracting(e -> ((ProvisioningFailure) e).kind()).isEqualTo(FailureKind.BAD_TOKEN);
        assertThatThrownBy(() -> tokens.open(link)).as("a link is no account token")
                .isInstanceOf(ProvisioningFailure.class);
        assertThatThrownBy(() -> tokens.openLink(account, "voicemail-audio:message-0042"))
                .as("an account token is no link")
                .isInstanceOf(ProvisioningFailure.class);
        String expired = tokens.sealLink(ALICE, "voicemail-audio:message-0042", Duration.ofSeconds(-1));
        assertThatThrownBy(() -> tokens.openLink(expired, "voicemail-audio:message-0042"))
                .extracting(e -> ((ProvisioningFailure) e).kind()).isEqualTo(FailureKind.TOKEN_EXPIRED);
    }

    @Test
    void aTokenOpensToWhatWasSealedAndHidesThePassword() throws Exception {
        AccountTokens tokens = tokens(false, "k1", ProxyTestSupport.TEST_KEY);
        String sealed = tokens.seal(ALICE);

        assertThat(sealed).doesNotContain("alice", "x-fake-portal-alice");
        assertThat(EncryptedJWT.parse(sealed).getHeader().getKeyID()).isEqualTo("k1");
        AccountToken opened = tokens.open(sealed);
        assertThat(opened).isEqualTo(new AccountToken("acme", "alice@acme.example", "x-fake-portal-alice",
                ALICE.issued(), "hash", "k1", opened.expires()));
        assertThat(opened.expires()).as("sealed for max-age from now").isAfter(Instant.now().plus(Duration.ofDays(179)));
        assertThat(tokens.seal(ALICE)).as("sealing is randomized").isNotEqualTo(sealed);
    }

    @Test
    void rotationTheFirstKeySealsAllKeysOpen() throws Exception {
        AccountTokens before = tokens(false, "2025", ProxyTestSupport.OLD_TEST_KEY);
        AccountTokens during = tokens(false, "2026", ProxyTestSupport.TEST_KEY, "2025", ProxyTestSupport.OLD_TEST_KEY);
        AccountTokens after = tokens(false, "2026", ProxyTestSupport.TEST_KEY);

        String old = before.seal(ALICE);
        assertThat(during.open(old).keyId()).isEqualTo("2025");
        String fresh = during.seal(ALICE);
        assertThat(EncryptedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo("2026");
        assertThat(after.open(fresh).userId()).isEqualTo("alice@acme.example");
        assertThatThrownBy(() -> after.open(old)).isInstanceOfSatisfying(ProvisioningFailure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.BAD_TOKEN));
    }

    @Test
    void anythingElseIsABadToken() {
        AccountTokens tokens = tokens(false, "k1", ProxyTestSupport.TEST_KEY);
        String sealed = tokens.seal(ALICE);
        String tampered = sealed.substring(0, sealed.length() - 5) + (sealed.endsWith("AAAAA") ? "BBBBB" : "AAAAA");
        for (String token : new String[] {tampered, "not-a-token", "a.b.c.d.e", "",
            tokens(false, "k1", ProxyTestSupport.OLD_TEST_KEY).seal(ALICE)}) {
            assertThatThrownBy(() -> tokens.open(token)).as(token).isInstanceOfSatisfying(ProvisioningFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(FailureKind.BAD_TOKEN));
        }
    }

    @Test
    void keysAreCheckedAtStart() {
        assertThat(problems(false)).singleElement().asString().contains("provisioning.token.keys is empty");
        assertThat(problems(false, "k1", "c2hvcnQ=")).singleElement().asString()
                .contains("provisioning.token.keys[0]", "32 random bytes", "not 5 bytes").doesNotContain("c2hvcnQ=");
        assertThat(problems(false, "k1", "%%%")).singleElement().asString()
                .contains("provisioning.token.keys[0]", "not base64");
        assertThat(problems(false, "k1", ProxyTestSupport.TEST_KEY, "k1", ProxyTestSupport.OLD_TEST_KEY))
                .singleElement().asString().contains("provisioning.token.keys[1].id", "own non-empty id");
        assertThat(problems(false, " ", ProxyTestSupport.TEST_KEY)).singleElement().asString()
                .contains("provisioning.token.keys[0].id", "own non-empty id");
        assertThat(problems(true)).as("the demo may run without a key").isEmpty();
        assertThat(problems(false, "k1", ProxyTestSupport.TEST_KEY, "k2", " " + ProxyTestSupport.OLD_TEST_KEY))
                .isEmpty();
        assertThat(tokens(true).sealingKeyId()).as("the demo runs on a public key").isEqualTo(AccountTokens.DEMO_KEY_ID);
    }

    @Test
    void aTokenExpiresAndIsSealedAgainPastHalfItsLifetime() {
        AccountTokens tokens = tokens(false, "k1", ProxyTestSupport.TEST_KEY);
        AccountToken fresh = tokens.open(tokens.seal(ALICE));
        AccountToken halfway = tokens.open(tokens.seal(withExpiry(Instant.now().plus(Duration.ofDays(30)))));
        AccountToken expired = tokens.open(tokens.seal(withExpiry(Instant.now().minusSeconds(60))));

        assertThat(tokens.expired(fresh)).isFalse();
        assertThat(tokens.dueForResealing(fresh)).isFalse();
        assertThat(tokens.expired(halfway)).isFalse();
        assertThat(tokens.dueForResealing(halfway)).as("30 of 180 days left").isTrue();
        assertThat(tokens.expired(expired)).isTrue();
    }

    private static AccountToken withExpiry(Instant expires) {
        return new AccountToken(ALICE.tenant(), ALICE.userId(), ALICE.password(), ALICE.issued(), ALICE.accountHash(),
                null, expires);
    }
}
