package org.provproxy.features;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the app asks of one BroadWorks Anywhere location, checked (features/AnywhereLocations.change): held as
 * variable {@code anywhereChange}.
 *
 * @param action what is done
 * @param number the location's number from the request path; null to add one
 * @param fields the fields to send XSI, by the app's names, in the schema's order; a value of "" clears an
 *               optional one (xsi:nil)
 */
public record AnywhereChange(Action action, String number, Map<String, String> fields) {

    public AnywhereChange {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The number of the location once changed: the new one when the change gives one, else the path's. */
    public String numberAfter() {
        String changed = fields.get(AnywhereLocations.PHONE_NUMBER);
        return changed != null && !changed.isEmpty() ? changed : number;
    }

    /** The actions, with XSI's method and how they are logged. */
    public enum Action {
        ADD("POST", "add"),
        CHANGE("PUT", "change"),
        ENABLE("PUT", "enable"),
        DISABLE("PUT", "disable"),
        REMOVE("DELETE", "remove");

        private final String method;
        private final String logName;

        Action(String method, String logName) {
            this.method = method;
            this.logName = logName;
        }

        public String method() {
            return method;
        }

        public String logName() {
            return logName;
        }
    }
}
