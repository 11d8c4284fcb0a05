package org.provproxy.observe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One XSI or DMS call of a request, as {@link RequestObservation} keeps it: bounded names only, never a user id or
 * a URL, so that each can be a metric label and a log field.
 *
 * @param backend  xsi or dms
 * @param resource the resource as a template ({@link RequestObservations#resource}): profile, services/BusyLampField,
 *                 VoiceMessagingMessages/{id}, dms
 * @param status   the HTTP status XSI or the DMS answered, or the failure's code when there was no answer
 *                 (backend-unavailable, backend-too-large, ...)
 * @param millis   how long the request waited for it
 * @param cached   answered from the cache or by another request's call in flight (no call of its own)
 */
public record BackendCallRecord(String backend, String resource, String status, long millis, boolean cached) {

    /** As a log field: a small JSON object in the structured formats. */
    Map<String, Object> field() {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("backend", backend);
        field.put("resource", resource);
        field.put("status", status);
        field.put("ms", millis);
        field.put("cached", cached);
        return field;
    }
}
