package org.provproxy.account;

import org.provproxy.account.AccountTokens.AccountToken;

/**
 * The version an answer carries, for HTTP caching: its validators, the token to put in the account, and whether
 * the app's own validators still match (then the answer is 304). Made by {@link AccountVersions}; held on the
 * exchange as variable {@code version}.
 *
 * @param lastModified HTTP date, or null (global answers carry none)
 * @param token        the sealed token the account carries, or null (global answers, a held version)
 */
public record AccountVersion(String etag, String lastModified, String token, boolean notModified) {

    /** The version the app holds, as its token says. */
    public static AccountVersion held(AccountToken token) {
        return new AccountVersion(AccountVersions.etag(token.accountHash()), AccountVersions.httpDate(token.issued()),
                null, false);
    }

    /** The same version confirmed by {@code etag} (a transient failure answering 304 with the app's own tag). */
    public static AccountVersion confirmed(String etag) {
        return new AccountVersion(etag, null, null, true);
    }

    @Override
    public String toString() {
        return "AccountVersion[etag=" + etag + ", lastModified=" + lastModified + ", notModified=" + notModified + "]";
    }
}
