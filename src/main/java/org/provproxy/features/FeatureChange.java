package org.provproxy.features;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.provproxy.request.DialNumbers;

import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/**
 * A change the app asks for, held as variable {@code featureChange}: the feature and the fields it changes, each
 * value checked and written as XSI takes it (booleans lower case, a number trimmed, an empty number: cleared), in
 * the feature's field order. Checked here, before XSI sees anything: a bad value is {@code bad-feature-value} (400)
 * naming the field.
 *
 * @param values field name to value ("" = clear, sent as xsi:nil)
 */
public record FeatureChange(Feature feature, Map<String, String> values) {

    /**
     * BroadWorks' number of rings before Call Forwarding No Answer forwards: 2 to 20 (OCI's
     * CallForwardingNoAnswerNumberOfRings, which XSI's service takes as it is).
     */
    public static final int MIN_RINGS = 2;
    public static final int MAX_RINGS = 20;
    /** A dialable number: digits with an optional leading +, and * # (feature codes); BroadWorks' OutgoingDN is 30. */
    static final Pattern DIGITS = Pattern.compile("\\+?[0-9*#]{1,30}");
    /**
     * A SIP or tel URI: scheme, then the characters RFC 3261 allows in user and host parts (no spaces, quotes,
     * angle brackets); BroadWorks' OutgoingDNorSIPURI is at most 161 characters.
     */
    static final Pattern URI = Pattern.compile("(?i:sips?|tel):[A-Za-z0-9._~%!$&'()*+,;=:@\\[\\]-]{1,157}");
    static final int MAX_NUMBER_LENGTH = 161;
    /** Parameters of every request that are no field: the account's token, the answer's language, the method. */
    public static final Set<String> NOT_FIELDS = Set.of("token", "locale", "_method");

    public FeatureChange {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The change of {@code feature} the parameters ask for: every parameter but {@link #NOT_FIELDS} must be one of
     * the feature's fields with a value it accepts; at least one field.
     */
    public static FeatureChange of(Feature feature, Map<String, String> parameters) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (NOT_FIELDS.contains(parameter.getKey())) {
                continue;
            }
            Feature.Field field = feature.field(parameter.getKey()).orElseThrow(() -> bad(shown(parameter.getKey()),
                    "no field of " + feature.featureName()));
            given.put(field.name(), value(field, parameter.getValue()));
        }
        if (given.isEmpty()) {
            throw new ProvisioningFailure(FailureKind.FEATURE_NOTHING_TO_CHANGE,
                    "no field of " + feature.featureName() + " given", feature.featureName());
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (Feature.Field field : feature.fields()) {
            if (given.containsKey(field.name())) {
                ordered.put(field.name(), given.get(field.name()));
            }
        }
        return new FeatureChange(feature, ordered);
    }

    /** {@code value} as XSI takes it for {@code field}, or bad-feature-value naming the field. */
    static String value(Feature.Field field, String value) {
        String text = value == null ? "" : value.trim();
        switch (field.type()) {
            case BOOLEAN -> {
                if (text.equals("true") || text.equals("false")) {
                    return text;
                }
                throw bad(field.name(), "not true or false");
            }
            case RINGS -> {
                if (text.matches("[0-9]{1,2}")) {
                    int rings = Integer.parseInt(text);
                    if (rings >= MIN_RINGS && rings <= MAX_RINGS) {
                        return String.valueOf(rings);
                    }
                }
                throw bad(field.name(), "not a number of rings from " + MIN_RINGS + " to " + MAX_RINGS);
            }
            default -> {
                // written as people write numbers ('+1 (202) 555-0100'), sent as dialled: the same rule as quick
                // dials, the dial action and BroadWorks Anywhere locations (request/DialNumbers)
                String number = text.isEmpty() ? text : DialNumbers.normalize(text);
                if (number.isEmpty() || number.length() <= MAX_NUMBER_LENGTH
                        && (DIGITS.matcher(number).matches() || URI.matcher(number).matches())) {
                    return number;
                }
                throw bad(field.name(), "not a phone number or SIP URI BroadWorks takes");
            }
        }
    }

    private static ProvisioningFailure bad(String field, String why) {
        // the field's name is the message's {1} (ErrorAnswers: the failure's subject)
        return new ProvisioningFailure(FailureKind.BAD_FEATURE_VALUE, field + ": " + why, field);
    }

    /** A field name as the app sent it, when it is short and plain; else a stand-in (it goes into the message). */
    private static String shown(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,40}") ? name : "?";
    }
}
