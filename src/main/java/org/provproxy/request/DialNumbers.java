package org.provproxy.request;

import java.util.regex.Pattern;

/**
 * A number as it is dialled, the Java side's one rule: the same as {@code p:dial-number} in xslt/lib/common.xsl
 * (quick dial URIs), and DialNumbersTest holds both to one table of cases. A number written with spaces, dashes, dots
 * or parentheses ({@code +1 (202) 555-0100}, {@code 202.555.0100}) loses them, a leading {@code +} kept; anything
 * else (an extension, a SIP address with letters) stays as it is, trimmed.
 */
public final class DialNumbers {

    /** Digits (at least one), * and # with the separators people write, after at most one leading +. */
    private static final Pattern WRITTEN_NUMBER =
            Pattern.compile("\\+?[0-9*#() \\t\\n\\r.\\-]*[0-9][0-9*#() \\t\\n\\r.\\-]*");
    private static final Pattern SEPARATORS = Pattern.compile("[() \\t\\n\\r.\\-]");
    /** What XPath's \s trims (p:first), not Java's wider idea of whitespace, so both sides agree. */
    private static final Pattern OUTER_BLANKS = Pattern.compile("^[ \\t\\n\\r]+|[ \\t\\n\\r]+$");

    private DialNumbers() {
    }

    /** The number as dialled; null stays null. */
    public static String normalize(String number) {
        if (number == null) {
            return null;
        }
        String written = OUTER_BLANKS.matcher(number).replaceAll("");
        return WRITTEN_NUMBER.matcher(written).matches() ? SEPARATORS.matcher(written).replaceAll("") : written;
    }
}
