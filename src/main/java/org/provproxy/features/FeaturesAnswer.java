package org.provproxy.features;

import java.time.Instant;

/**
 * The call features answer (variable {@code featuresAnswer}): the bytes sent (XML or JSON), their ETag, and since
 * when this replica answers this content (Last-Modified).
 */
public record FeaturesAnswer(byte[] body, String etag, Instant lastModified) {
}
