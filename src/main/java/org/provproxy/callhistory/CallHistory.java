package org.provproxy.callhistory;

import java.time.Instant;

/**
 * One call history answer as the app receives it: the bytes call-history.xsl serialized (XML or JSON, as the app
 * asked), their ETag, and since when this replica answers this content to this request. Held as variable
 * {@code callHistory}.
 */
public record CallHistory(byte[] body, String etag, Instant lastModified) {

    @Override
    public String toString() {
        return "CallHistory[" + body.length + " bytes, etag=" + etag + ", lastModified=" + lastModified + "]";
    }
}
