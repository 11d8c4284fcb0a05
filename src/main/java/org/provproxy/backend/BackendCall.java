package org.provproxy.backend;

import java.time.Duration;

/**
 * One call to XSI or the DMS, as the backend routes make it: what to ask, where, how long its answer may be
 * reused and under which key (a credential HMAC, never a password). Made by {@link BackendCalls}; held as
 * variable {@code backendCall} while the call is made.
 *
 * @param backend             XSI or the DMS: which route calls it and how a failure is classified
 * @param resource            the XSI resource below the user (e.g. {@code services/BusyLampField}), or the
 *                            device file's URL
 * @param query               the query string, or null
 * @param absentWhenForbidden a 403 means "service not assigned": the document is absent, not a failure
 * @param deviceName          the device whose file this is (DMS), for messages; null for XSI
 * @param user                the device's DMS user (DMS); for XSI the tenant's directory user when the call is
 *                            not made with the sign-in's own credentials (null: the sign-in's)
 * @param expected            the document a usable answer must be (root element, namespace); null when the
 *                            answer is no document (click-to-dial)
 * @param deadline            when the call must have ended ({@link System#nanoTime()}), set as it starts
 *                            ({@link BackendCache}); 0 before
 * @param content             the XML document an XSI POST or PUT sends (UTF-8), or null: an empty body
 */
public record BackendCall(Backend backend, String method, String resource, String url, String query,
                          String cacheKey, Duration ttl, boolean absentWhenForbidden, String deviceName,
                          String user, String password, ExpectedDocument expected, long deadline, byte[] content) {

    /** A call that sends no document (every GET, and the actions without content). */
    public BackendCall(Backend backend, String method, String resource, String url, String query, String cacheKey,
                       Duration ttl, boolean absentWhenForbidden, String deviceName, String user, String password,
                       ExpectedDocument expected, long deadline) {
        this(backend, method, resource, url, query, cacheKey, ttl, absentWhenForbidden, deviceName, user, password,
                expected, deadline, null);
    }

    /** This call, to be ended by {@code deadline} ({@link System#nanoTime()}). */
    public BackendCall until(long deadline) {
        return new BackendCall(backend, method, resource, url, query, cacheKey, ttl, absentWhenForbidden, deviceName,
                user, password, expected, deadline, content);
    }

    @Override
    public String toString() {
        return "BackendCall[" + backend + " " + method + " " + url + "]";
    }

    /** The two backends, each called by its own route ({@code direct:xsi-call}, {@code direct:dms-call}). */
    public enum Backend {
        XSI, DMS;

        public String callUri() {
            return this == XSI ? "direct:xsi-call" : "direct:dms-call";
        }
    }
}
