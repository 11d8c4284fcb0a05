package org.provproxy.request;

/**
 * How to reach XSI as the user: the user's XSI URL (the user id one encoded path segment) and Basic credentials.
 *
 * @param credentialKey stands for user id + password in cache keys (an HMAC, never the password)
 */
public record XsiAccess(String userUrl, String password, String authorization, String credentialKey) {

    @Override
    public String toString() {
        return "XsiAccess[userUrl=" + userUrl + "]";
    }
}
