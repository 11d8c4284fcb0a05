package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.backend.BackendHttp;
import org.provproxy.backend.DigestChallenges;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Portal passwords, device passwords, SIP passwords, tokens and Authorization values never reach the log (even
 * with the proxy's and Camel's loggers at DEBUG, and Apache HttpClient's wire and header logging on, which prints
 * every request and answer of XSI and the DMS) nor an error body, on success and on every kind of failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTest extends ProxyTestSupport {

    private static final String[] LOGGERS = {"org.provproxy", "org.apache.camel", "org.apache.hc.client5.http.wire",
        "org.apache.hc.client5.http.headers"};

    @Autowired
    LoggingSystem logging;

    @Autowired
    BackendHttp backendHttp;

    @Autowired
    DigestChallenges digestChallenges;

    @BeforeEach
    void debug() {
        for (String logger : LOGGERS) {
            logging.setLogLevel(logger, LogLevel.DEBUG);
        }
        // the async client decides on header and wire logging as it opens a connection: no pooled one from before;
        // and a Digest challenge is asked for, to show the DMS's exchange masked
        backendHttp.closeIdleConnections();
        digestChallenges.clear();
    }

    @AfterEach
    void restore() {
        for (String logger : LOGGERS) {
            logging.setLogLevel(logger, null);
        }
    }

    @Test
    void noSecretIsLogged(CapturedOutput output) throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String name : new String[] {"mobile-three-devices", "basic-dms", "xsi-wrong-password",
            "dms-rejects-credentials", "xsi-5xx", "dms-malformed-xml", "device-file-without-sip-credentials",
            "refresh-changed", "refresh-wrong-password-logout", "refresh-tampered-token", "refresh-not-modified",
            "contacts-enterprise-user", "contacts-wrong-password-logout"}) {
            SampleCase sample = sample(name);
            BACKEND.serve(sample);
            SampleCall call = SampleCall.of(sample, tokens);
            var response = proxy().send(call);
            AnswerAssertions.assertAnswer(call, response, tokens);
            secrets.addAll(secretsOf(sample));
            if (call.token() != null) {
                secrets.add(call.token());
                secrets.add(call.token().substring(call.token().lastIndexOf('.') - 20));
            }
            if (response.statusCode() != 200) {
                assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .as("error body of %s", name).doesNotContain(secretsOf(sample));
            }
            java.util.regex.Matcher token = Pattern.compile("<X-xsi-token>([^<]+)</X-xsi-token>")
                    .matcher(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            if (token.find()) {
                secrets.add(token.group(1));
            }
        }
        // the tenant's directory credentials (tenant dirco), refused by XSI: neither they nor their Basic value show
        BACKEND.serve(sample("contacts-enterprise-user"));
        String token = tokens.seal(new org.provproxy.account.AccountTokens.AccountToken("dirco", "alice@acme.example",
                "x-fake-portal-alice", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), "",
                null));
        var refused = proxy().send("GET", "/services/contacts", java.util.Map.of("token", token), java.util.Map.of());
        assertThat(refused.statusCode()).isEqualTo(503);
        secrets.add("x-fake-directory-admin");
        secrets.add(Base64.getEncoder().encodeToString("directory-admin@acme.example:x-fake-directory-admin".getBytes()));
        secrets.add(token);
        assertThat(new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(secrets);

        assertThat(secrets).hasSizeGreaterThan(10);
        // Camel's DEBUG of Spring's test events prints the test's own configuration (the tenants' settings): the
        // test's doing, not the proxy's
        String logged = output.getAll().lines().filter(line -> !line.contains("mergedContextConfiguration"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(logged).contains("provisioned tenant=acme").doesNotContain(secrets);
        assertThat(output.getAll()).doesNotContainPattern("(?i)authorization[:=]\\s*(basic|digest) ");
        // nor the DMS's Digest response (a hash of the device password, open to guessing offline)
        assertThat(output.getAll()).doesNotContainPattern("response=\"?[0-9a-f]{32}");
        // the header log was written, XSI's Basic and the DMS's Digest exchanges among them, masked (the async
        // client logs headers and wire of a connection opened while they are on; its connections are c-<n>)
        assertThat(output.getAll()).containsPattern("c-\\d+ >> Authorization: \\*\\*\\*")
                .contains("WWW-Authenticate: Digest");
    }

    /** The wire log's own lines, as HttpClient writes them (one per line of a request or answer, quoted). */
    @Test
    void wireLogLinesAreMasked(CapturedOutput output) {
        org.slf4j.Logger wire = org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.wire");
        String basic = "YWxpY2VAYWNtZS5leGFtcGxlOngtZmFrZS1wb3J0YWwtYWxpY2U=";
        wire.debug("{} {}", "http-outgoing-7 >>", "\"Authorization: Basic " + basic + "[\\r][\\n]\"");
        wire.debug("{} {}", "http-outgoing-8 >>", new StringBuilder("\"Authorization: Digest username=\"alice.dms\", "
                + "realm=\"DMS\", response=\"6629fae49393a05397450978507c4ef1\"[\\r][\\n]\""));
        wire.debug("{} {}", "http-outgoing-8 <<", "\"          <password>x-fake-sip-mobile</password>[\\n]\"");
        wire.debug("http-outgoing-9 >> \"Cookie: JSESSIONID=x-fake-session[\\r][\\n]\"");

        assertThat(output.getAll()).contains("http-outgoing-7 >> \"Authorization: ***[\\r][\\n]\"",
                "http-outgoing-8 >> \"Authorization: ***[\\r][\\n]\"", "<password>***</password>",
                "http-outgoing-9 >> \"Cookie: ***[\\r][\\n]\"")
                .doesNotContain(basic, "6629fae4", "x-fake-sip-mobile", "x-fake-session");
    }

    static List<String> secretsOf(SampleCase sample) throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String key : new String[] {"xsi.password", "dms.password"}) {
            if (sample.backend(key) != null) {
                secrets.add(sample.backend(key));
            }
        }
        String portal = sample.params().getOrDefault("password", sample.token().map(t -> t.password()).orElse(null));
        if (portal != null && !portal.isBlank()) {
            secrets.add(portal);
            secrets.add(Base64.getEncoder().encodeToString((sample.backend("xsi.user") + ":" + portal).getBytes()));
        }
        if (!Files.exists(sample.expectedBody())) {
            return secrets;
        }
        Matcher sip = Pattern.compile("<password>([^<]+)</password>")
                .matcher(Files.readString(sample.expectedBody()));
        while (sip.find()) {
            secrets.add(sip.group(1));
        }
        return secrets;
    }
}
