package org.provproxy.request;

import java.util.Locale;

/**
 * Who called, known before anything is resolved, so that even a refused request is answered with its request id
 * and in the subscriber's language. Held on the exchange as variable {@code caller}.
 *
 * @param baseUrl         the proxy's public base URL ({@link org.provproxy.config.PublicUrl}; never the request's
 *                        Host), for dial action URLs and recorded samples; {@code ${proxy}} offline; null if none
 * @param ifNoneMatch     the app's If-None-Match, or null
 * @param ifModifiedSince the app's If-Modified-Since, or null
 * @param deadline        when the request must be answered by (provisioning.request-deadline after it arrived)
 */
public record Caller(String requestId, Locale locale, String method, String path, String baseUrl,
                     String ifNoneMatch, String ifModifiedSince, Deadline deadline) {

    /** The app sent a validator: it holds a working answer that a 304 can confirm. */
    public boolean conditional() {
        return ifNoneMatch != null || ifModifiedSince != null;
    }
}
