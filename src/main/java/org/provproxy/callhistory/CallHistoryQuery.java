package org.provproxy.callhistory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/**
 * What the app asked of its call history besides the token: only the calls after {@code since} (null: all of
 * them). Held as variable {@code historyQuery}; made by {@link CallHistories#query}.
 */
public record CallHistoryQuery(Instant since) {

    /** A '+' of an offset written unencoded in a query string reads as a space ("...T15:39:39 05:30"). */
    private static final Pattern OFFSET_READ_AS_SPACE =
            Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?) (\\d\\d:\\d\\d)$");

    /**
     * The query of a {@code since} value: an ISO-8601 instant with its offset ({@code 2010-03-26T10:09:39.811Z},
     * {@code 2010-03-26T15:39:39+05:30}); absent or empty, the whole history. Anything else is refused (400, the
     * message names the parameter); so is a time without an offset: which instant it means is the app's to say.
     */
    public static CallHistoryQuery parse(String since) {
        if (since == null || since.isBlank()) {
            return new CallHistoryQuery(null);
        }
        String text = OFFSET_READ_AS_SPACE.matcher(since.trim()).replaceFirst("$1+$2");
        try {
            OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            // four-digit years only: what xs:dateTime and the answer's times write
            if (time.getYear() >= 1 && time.getYear() <= 9999) {
                return new CallHistoryQuery(time.toInstant());
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw new ProvisioningFailure(FailureKind.BAD_SINCE, "since is no ISO-8601 instant with an offset");
    }

    /**
     * {@code since} as call-history.xsl takes it: UTC, ISO-8601 ({@code 2010-03-26T10:09:39.811Z}), or '' for
     * none. Microseconds at most: finer than any XSI time, and what every xs:dateTime implementation holds.
     */
    public String sinceParameter() {
        return since == null ? "" : DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.MICROS));
    }
}
