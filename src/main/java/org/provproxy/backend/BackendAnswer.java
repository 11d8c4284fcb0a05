package org.provproxy.backend;

/**
 * What XSI or the DMS answered (or a request in flight, or the cache, for the same key): status, Content-Type
 * and body bytes, how long it took and whether it was shared. Held as variable {@code backendAnswer}.
 */
public record BackendAnswer(int status, String contentType, byte[] body, long millis, boolean shared) {

    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** Worth keeping for the cache TTL: a success, or 403 (service not assigned), which only an admin changes. */
    boolean reusable() {
        return success() || status == 403;
    }

    BackendAnswer timed(long millis, boolean shared) {
        return new BackendAnswer(status, contentType, body, millis, shared);
    }
}
