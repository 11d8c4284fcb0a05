package org.provproxy.account;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

import org.apache.camel.Variable;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Shaped;
import org.springframework.stereotype.Component;

/**
 * Versions an account for HTTP caching without shared state. The ETag is the hash of the account's keys and values
 * ({@link Shaped#hash()}: order and formatting do not count, the token is left out, since sealing is randomized), so
 * every replica computes the same one. Last-Modified is the issue time of the token: a token is re-issued only when the account
 * changed (or was sealed with a key that is being rotated out), so the app carries the time back with each refresh.
 */
@Component("accountVersions")
public class AccountVersions {

    /** IMF-fixdate (RFC 9110): two-digit day, which RFC_1123_DATE_TIME does not write. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE_PARSER = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final AccountTokens tokens;

    public AccountVersions(AccountTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * The version of an account about to be sent: ETag from its content, the token to put in it (the app's own
     * while the content is the same and the token is not due for resealing, else a new one), Last-Modified the
     * time the content last changed, and whether the app's copy still stands (then the answer is 304).
     *
     * <p>With a token, the content decides, never a clock: the app's copy stands when the new account's hash is
     * the hash of the account it holds (its If-None-Match, or the token when it sends only If-Modified-Since), and
     * the token it holds stays valid. An app whose clock runs fast must still get a changed SIP password.
     */
    public AccountVersion stamp(@Variable("shaped") Shaped account, @Variable("signIn") SignIn signIn) {
        String hash = account.hash();
        AccountToken previous = signIn.token();
        Caller caller = signIn.caller();
        String etag = etag(hash);
        if (previous == null) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = tokens.seal(new AccountToken(signIn.tenant().key(), signIn.userId(),
                    signIn.xsi().password(), now, hash, null));
            return new AccountVersion(etag, httpDate(now), token,
                    notModified(caller.ifNoneMatch(), caller.ifModifiedSince(), etag, now));
        }
        boolean unchanged = hash.equals(previous.accountHash());
        Instant changed = unchanged ? previous.issued() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean keep = unchanged && !tokens.dueForResealing(previous);
        String token = keep ? signIn.tokenText() : tokens.seal(new AccountToken(previous.tenant(), previous.userId(),
                previous.password(), changed, hash, null));
        boolean held = caller.ifNoneMatch() != null ? notModified(caller.ifNoneMatch(), null, etag, changed)
                : caller.ifModifiedSince() != null && unchanged;
        // a token sealed anew must reach the app: never hidden behind a 304
        return new AccountVersion(etag, httpDate(changed), token, held && keep);
    }

    /**
     * Global provisioning: ETag only (nothing carries a modification time back for it), not modified when the
     * request's If-None-Match still matches.
     */
    public AccountVersion stampGlobal(@Variable("shaped") Shaped answer, @Variable("signIn") SignIn signIn) {
        String etag = etag(answer.hash());
        return new AccountVersion(etag, null, null,
                notModified(signIn.caller().ifNoneMatch(), null, etag, Instant.now()));
    }

    /**
     * The version of a service's answer (contacts, call history): its ETag and the time its content last changed,
     * and whether the app's validators still match it (If-None-Match decides when sent, else If-Modified-Since).
     */
    public static AccountVersion of(String etag, Instant lastModified, Caller caller) {
        return new AccountVersion(etag, httpDate(lastModified), null,
                notModified(caller.ifNoneMatch(), caller.ifModifiedSince(), etag, lastModified));
    }

    /** Whether the version just stamped is the app's own: then the answer is 304. */
    public boolean notModified(@Variable("version") AccountVersion version) {
        return version.notModified();
    }

    /** RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since. */
    public static boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
        if (ifNoneMatch != null) {
            return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                    .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                    .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
        }
        if (ifModifiedSince != null) {
            try {
                return !lastModified.isAfter(Instant.from(HTTP_DATE_PARSER.parse(ifModifiedSince.trim())));
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    public static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    public static String etag(String hash) {
        return "\"" + hash + "\"";
    }
}
