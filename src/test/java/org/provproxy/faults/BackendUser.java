package org.provproxy.faults;

import java.util.Map;

/**
 * One subscriber as the fault-injecting stand-in knows them: XSI credentials (Basic), the device's DMS credentials
 * (Digest or Basic, as the tenant says), every resource XSI and the DMS answer for them (keyed
 * {@code xsi/profile/Device}, {@code dms/<folder>/mobile-config.xml}, ...) and the one fault, if any, at
 * {@code target}. Every secret of a user contains {@code x-fault-<index>-}, so a leak in the log is found by
 * pattern and traced back to its request.
 */
record BackendUser(int index, String tenant, String userId, String portalPassword, String dmsUser,
                   String dmsPassword, boolean digest, String sipPassword, Map<String, Resource> resources,
                   Fault fault, String target) {

    /** What a resource answers when nothing goes wrong: status, Content-Type and body. */
    record Resource(int status, String contentType, byte[] body) {
    }

    /** The fault at {@code resource}, or {@link Fault#NONE}. */
    Fault faultAt(String resource) {
        return resource.equals(target) ? fault : Fault.NONE;
    }
}
