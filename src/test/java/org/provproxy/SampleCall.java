package org.provproxy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.account.AccountTokens;
import org.provproxy.account.AccountVersions;
import org.provproxy.config.ProvisioningProperties.TokenKey;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.ops.SampleCase;
import org.provproxy.shaping.Shaped;

/**
 * A sample's request made concrete: its parameters and headers, plus, for a re-provisioning case, the token the
 * app would hold (sealed with the proxy's own keys, or with a stranger's key, or tampered, as the case says) and
 * the ETag of the account the app holds ({@code ${etag}} in header values). With {@code prime=true} the validators
 * come instead from a first answer of the proxy ({@link #unprimed()}, {@link #primedBy(HttpResponse)}):
 * {@code ${etag}} and {@code ${last-modified}} are its ETag and Last-Modified. {@code userId} is the XSI user id the
 * proxy must end up with.
 */
record SampleCall(SampleCase sample, Map<String, String> params, Map<String, String> headers, String token,
                  String userId, String etag, String lastModified) {

    static final String ETAG = "${etag}";
    static final String LAST_MODIFIED = "${last-modified}";

    SampleCall(SampleCase sample, Map<String, String> params, Map<String, String> headers, String token,
               String userId, String etag) {
        this(sample, params, headers, token, userId, etag, null);
    }

    static SampleCall of(SampleCase sample, AccountTokens tokens) {
        Map<String, String> params = new HashMap<>(sample.params());
        Map<String, String> headers = new HashMap<>(sample.requestHeaders());
        String token = null;
        String etag = null;
        if (sample.token().isPresent()) {
            SampleCase.TokenSpec spec = sample.token().get();
            String hash = spec.previousAccount() == null ? "" : Shaped.contentHash(parse(spec));
            Instant issued = spec.issued() == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    : Instant.parse(spec.issued());
            AccountTokens sealer = switch (spec.key()) {
                case "unknown" -> strangerKey("retired-2019");       // a key id the proxy does not have
                case "forged" -> strangerKey(tokens.sealingKeyId()); // the proxy's key id, another secret
                case "old" -> keyOf("test-2025", ProxyTestSupport.OLD_TEST_KEY); // a key being rotated out
                default -> tokens;
            };
            token = sealer.seal(new AccountToken(spec.tenant(), spec.user(), spec.password(), issued, hash, null,
                    spec.expiry()));
            if (spec.tamper()) {
                char[] chars = token.toCharArray();
                int i = token.lastIndexOf('.') - 3;
                chars[i] = chars[i] == 'A' ? 'B' : 'A';
                token = new String(chars);
            }
            params.put("token", token);
            if (!sample.prime()) {
                // prime wins: the validators come from the proxy's first answer instead
                etag = AccountVersions.etag(hash);
                String held = etag;
                headers.replaceAll((name, value) -> value.replace(ETAG, held));
            }
        }
        return new SampleCall(sample, params, headers, token, sample.backend("xsi.user"), etag);
    }

    /** The request {@code prime=true} sends first: the same, without the headers that are to carry its validators. */
    SampleCall unprimed() {
        Map<String, String> plain = new HashMap<>(headers);
        plain.values().removeIf(value -> value.contains(ETAG) || value.contains(LAST_MODIFIED));
        return new SampleCall(sample, params, plain, token, userId, null, null);
    }

    /**
     * The real request of a {@code prime=true} case, once {@code first} (the answer to {@link #unprimed()}) was a
     * 200: {@code ${etag}} and {@code ${last-modified}} in header values become its ETag and Last-Modified.
     */
    SampleCall primedBy(HttpResponse<byte[]> first) {
        if (first.statusCode() != 200) {
            throw new AssertionError("prime: the request without validators must answer 200, got "
                    + first.statusCode() + ": " + new String(first.body(), StandardCharsets.UTF_8));
        }
        String etag = first.headers().firstValue("ETag").orElse(null);
        String lastModified = first.headers().firstValue("Last-Modified").orElse(null);
        Map<String, String> primed = new HashMap<>(headers);
        for (Map.Entry<String, String> header : primed.entrySet()) {
            String value = header.getValue();
            if ((value.contains(ETAG) && etag == null) || (value.contains(LAST_MODIFIED) && lastModified == null)) {
                throw new AssertionError("prime: header " + header.getKey() + "=" + value
                        + " needs a validator the first answer lacks: " + first.headers().map());
            }
            value = etag == null ? value : value.replace(ETAG, etag);
            header.setValue(lastModified == null ? value : value.replace(LAST_MODIFIED, lastModified));
        }
        return new SampleCall(sample, params, primed, token, userId, etag, lastModified);
    }

    private static AccountTokens strangerKey(String id) {
        return keyOf(id, Base64.getEncoder().encodeToString(new byte[32]));
    }

    private static AccountTokens keyOf(String id, String secret) {
        ProvisioningProperties properties = new ProvisioningProperties();
        TokenKey key = new TokenKey();
        key.setId(id);
        key.setSecret(secret);
        properties.getToken().setKeys(List.of(key));
        return new AccountTokens(properties);
    }

    private static XdmNode parse(SampleCase.TokenSpec spec) {
        try {
            return new Processor(false).newDocumentBuilder().build(spec.previousAccount().toFile());
        } catch (SaxonApiException e) {
            throw new IllegalStateException(e);
        }
    }
}
