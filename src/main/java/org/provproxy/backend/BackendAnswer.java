package org.provproxy.backend;

import net.sf.saxon.s9api.XdmNode;

/**
 * What XSI or the DMS answered (or a request in flight, or the cache, for the same key): status, Content-Type
 * and body bytes, how long it took and whether it was shared. Held as variable {@code backendAnswer}.
 *
 * @param retryAfter the answer's Retry-After header as sent (429, 503), or null
 * @param document   the body parsed and checked as the call's expected document: parsed once, by the request that
 *                   fetched it, and used as is by every request that shares or reuses the answer (Saxon's trees
 *                   are immutable); null when it is no usable document
 */
public record BackendAnswer(int status, String contentType, byte[] body, String retryAfter, long millis,
                            boolean shared, XdmNode document) {

    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** A 403 that means "service not assigned" for this call: the part is left out of the walk. */
    public boolean notAssigned(BackendCall call) {
        return status == 403 && call.absentWhenForbidden();
    }

    /**
     * Worth keeping for the cache TTL: a document that parsed and is the one the call expects, or a 403 that means
     * "service not assigned" (only an admin changes that). Everything else, a refusal or an unexpected page
     * included, is asked for again next time.
     */
    boolean reusable(BackendCall call) {
        if (status == 403) {
            return notAssigned(call);
        }
        return success() && (call.expected() == null || document != null);
    }

    BackendAnswer timed(long millis, boolean shared) {
        return new BackendAnswer(status, contentType, body, retryAfter, millis, shared, document);
    }

    BackendAnswer withDocument(XdmNode document) {
        return new BackendAnswer(status, contentType, body, retryAfter, millis, shared, document);
    }
}
