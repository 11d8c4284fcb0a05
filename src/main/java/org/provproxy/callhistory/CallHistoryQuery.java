package org.provproxy.callhistory;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * What the app asked of its call history besides the token: only the calls after {@code since} (null: all of
 * them). Held as variable {@code historyQuery}; made by {@link CallHistories#query}.
 */
public record CallHistoryQuery(Instant since) {

    /**
     * {@code since} as call-history.xsl takes it: UTC, ISO-8601 ({@code 2010-03-26T10:09:39.811Z}), or '' for
     * none. Microseconds at most: finer than any XSI time, and what every xs:dateTime implementation holds.
     */
    public String sinceParameter() {
        return since == null ? "" : DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.MICROS));
    }
}
