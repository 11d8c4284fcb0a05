package org.provproxy.faults;

import java.util.Locale;

/**
 * What the stand-in does to one request's target resource. {@link #weight} is the share of the mixed traffic
 * (the restart waves come on top, see {@link FaultPlan}); heavy faults (oversize bodies, gzip bombs, trickles that
 * hold a client for its whole timeout) are rarer so that the suite stays a few minutes on two cores.
 */
enum Fault {
    /** Every resource answers as recorded: the user must get 200 (or 304 for a matching validator). */
    NONE("none (healthy)", 36),
    /** The request is read, then the connection is reset (RST, SO_LINGER 0). */
    CONNECTION_RESET("connection reset", 6),
    /** The request is read, then the connection is closed (FIN) without a byte of answer. */
    CLOSE_WITHOUT_ANSWER("close without answer", 6),
    /** The recorded answer, but only after the proxy's backend timeout has passed (plus 1.5 s). */
    TIMEOUT("timeout", 5),
    /** Headers at once, then the body one byte every 200 ms (each read well within the read timeout) for 12 s. */
    TRICKLE("trickling body", 3),
    /** 500, 502, 503 or 504 with an HTML body, as a load balancer or a failing XSP answers. */
    SERVER_ERROR("5xx", 6),
    /** 429 with Retry-After: 120. */
    TOO_MANY_REQUESTS("429 + Retry-After", 5),
    /** The recorded document cut off in the middle: not well-formed. */
    MALFORMED_XML("malformed XML", 6),
    /** A well-formed XHTML maintenance page with 200 (text/html for even users, application/xml for odd ones). */
    WRONG_ROOT("wrong root (HTML page)", 5),
    /** The recorded document with the right root element name in another namespace. */
    WRONG_NAMESPACE("wrong namespace", 5),
    /** The recorded document padded to 20 MiB with elements the proxy does not know. */
    OVERSIZE("oversize body (20 MiB)", 2),
    /** 1.1 MiB of Content-Encoding: gzip that inflates to 1.1 GiB (a document of whitespace). */
    GZIP_BOMB("gzip bomb (1.1 GiB)", 1),
    /**
     * No fault at this resource: the request comes right after the stand-in stopped and started again on the same
     * port, so the proxy's pooled connections are stale. The user must be served like a healthy one.
     */
    BACKEND_RESTART("after backend restart", 0);

    private final String label;
    private final int weight;

    Fault(String label, int weight) {
        this.label = label;
        this.weight = weight;
    }

    String label() {
        return label;
    }

    int weight() {
        return weight;
    }

    /** The backend answers this user correctly every time: anything but a success is the proxy's failure. */
    boolean healthyBackend() {
        return this == NONE || this == BACKEND_RESTART;
    }

    /** The fault reshapes the recorded document: it targets only resources that answer one (not a 403). */
    boolean needsDocument() {
        return this == TRICKLE || this == MALFORMED_XML || this == WRONG_NAMESPACE || this == OVERSIZE
                || this == GZIP_BOMB;
    }

    /** Kebab-case, for request ids in the proxy's log. */
    String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
