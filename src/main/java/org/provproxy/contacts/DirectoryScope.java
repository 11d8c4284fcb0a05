package org.provproxy.contacts;

import java.time.Duration;

/**
 * Which directory a subscriber's contacts come from, and how it is read and shared: the enterprise's or the
 * group's (directories/Enterprise, directories/Group below the subscriber), the key every user of that enterprise
 * or group shares it under, and the credentials it is read with. Made by {@link Directories#scope}; held as
 * variable {@code directoryScope}.
 *
 * @param key          the shared cache's key: tenant, kind, enterprise id (and group id); a subscriber whose
 *                     profile names neither gets a key of their own, so no two enterprises ever share an entry
 * @param user         the tenant's directory user, or null: the subscriber's own credentials
 * @param maxEntries   most contacts read; the pages beyond are not fetched
 */
public record DirectoryScope(Kind kind, String key, String enterpriseId, String groupId, String user,
                             String password, Duration ttl, Duration staleIfError, int maxEntries) {

    /** The two directories a subscriber can read. */
    public enum Kind {
        ENTERPRISE("directories/Enterprise", "Enterprise"),
        GROUP("directories/Group", "Group");

        private final String resource;
        private final String root;

        Kind(String resource, String root) {
            this.resource = resource;
            this.root = root;
        }

        /** The XSI resource below the user. */
        public String resource() {
            return resource;
        }

        /** The root element of its pages. */
        public String root() {
            return root;
        }

        /** As the walk document and the logs name it. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return "DirectoryScope[" + key + (user != null ? " as " + user : "") + "]";
    }
}
