package org.provproxy.features;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The call features of {@code /services/features}: the name the app uses (in the answer and in
 * {@code PUT /services/features/<name>}), the XSI service below {@code services/}, and the fields the app may change,
 * in the order XSI's schema lists them (xslt/feature-change.xsl writes them in that order too). BroadWorks Anywhere's
 * locations are read with it but changed by their own endpoints; here only its two alert flags.
 */
public enum Feature {
    DO_NOT_DISTURB("do-not-disturb", "DoNotDisturb",
            Field.bool("active"), Field.bool("ringSplash")),
    CALL_FORWARDING_ALWAYS("call-forwarding-always", "CallForwardingAlways",
            Field.bool("active"), Field.number("forwardToPhoneNumber"), Field.bool("ringSplash")),
    CALL_FORWARDING_BUSY("call-forwarding-busy", "CallForwardingBusy",
            Field.bool("active"), Field.number("forwardToPhoneNumber")),
    CALL_FORWARDING_NO_ANSWER("call-forwarding-no-answer", "CallForwardingNoAnswer",
            Field.bool("active"), Field.number("forwardToPhoneNumber"), Field.rings("numberOfRings")),
    CALL_FORWARDING_NOT_REACHABLE("call-forwarding-not-reachable", "CallForwardingNotReachable",
            Field.bool("active"), Field.number("forwardToPhoneNumber")),
    BROADWORKS_ANYWHERE("broadworks-anywhere", "BroadWorksAnywhere",
            Field.bool("alertAllLocationsForClickToDialCalls"), Field.bool("alertAllLocationsForGroupPagingCalls")),
    ANONYMOUS_CALL_REJECTION("anonymous-call-rejection", "AnonymousCallRejection", Field.bool("active")),
    AUTOMATIC_CALLBACK("automatic-callback", "AutomaticCallback", Field.bool("active")),
    CALLING_LINE_ID_DELIVERY_BLOCKING("calling-line-id-delivery-blocking", "CallingLineIDDeliveryBlocking",
            Field.bool("active")),
    REMOTE_OFFICE("remote-office", "RemoteOffice", Field.bool("active"), Field.number("remoteOfficeNumber"));

    private final String name;
    private final String service;
    private final List<Field> fields;

    Feature(String name, String service, Field... fields) {
        this.name = name;
        this.service = service;
        this.fields = List.of(fields);
    }

    /** As the app names it: do-not-disturb, call-forwarding-always, ... */
    public String featureName() {
        return name;
    }

    /** The XSI service (and root element of its document): DoNotDisturb, ... */
    public String service() {
        return service;
    }

    /** The XSI resource below the user: services/DoNotDisturb, ... */
    public String resource() {
        return "services/" + service;
    }

    /** The part of the walk document that holds the service's document (xslt/features.xsl reads it). */
    public String part() {
        return "feature-" + name;
    }

    /** The fields the app may change, in XSI's schema order. */
    public List<Field> fields() {
        return fields;
    }

    public Optional<Field> field(String fieldName) {
        return fields.stream().filter(field -> field.name().equals(fieldName)).findFirst();
    }

    /** The feature the app names {@code name}, if any. */
    public static Optional<Feature> named(String name) {
        return Arrays.stream(values()).filter(feature -> feature.name.equals(name)).findFirst();
    }

    /** One field of a feature and the values it accepts. */
    public record Field(String name, Type type) {

        static Field bool(String name) {
            return new Field(name, Type.BOOLEAN);
        }

        static Field number(String name) {
            return new Field(name, Type.NUMBER);
        }

        static Field rings(String name) {
            return new Field(name, Type.RINGS);
        }
    }

    /** What a field holds: true/false, a phone number or SIP URI (empty clears it), a number of rings. */
    public enum Type {
        BOOLEAN, NUMBER, RINGS
    }
}
