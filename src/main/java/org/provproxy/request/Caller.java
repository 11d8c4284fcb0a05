package org.provproxy.request;

import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Who called, known before anything is resolved, so that even a refused request is answered with its request id
 * and in the subscriber's language. Held on the exchange as variable {@code caller}.
 *
 * @param baseUrl         the proxy's public base URL ({@link org.provproxy.config.PublicUrl}; never the request's
 *                        Host), for dial action URLs and recorded samples; {@code ${proxy}} offline; null if none
 * @param ifNoneMatch     the app's If-None-Match, or null
 * @param ifModifiedSince the app's If-Modified-Since, or null
 * @param deadline        when the request must be answered by (provisioning.request-deadline after it arrived)
 * @param gzip            the app takes a gzip-compressed answer (Accept-Encoding)
 * @param json            the app asks for JSON rather than XML (Accept; the services that offer both)
 * @param answer          the servlet answer, for the one header Camel's HTTP binding cannot be given: the
 *                        Content-Encoding of a body compressed already (on the message, the binding would compress
 *                        it again); null offline
 */
public record Caller(String requestId, Locale locale, String method, String path, String baseUrl,
                     String ifNoneMatch, String ifModifiedSince, Deadline deadline, boolean gzip, boolean json,
                     HttpServletResponse answer) {

    /**
     * Whether an Accept value prefers JSON: application/json (or application/*+json) with a weight above 0 and
     * not below XML's. Absent, {@code *}{@code /*} or XML only: XML, the services' default.
     */
    public static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        double json = 0;
        double xml = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        weight = Double.parseDouble(parameter.substring(2).trim());
                    } catch (NumberFormatException e) {
                        weight = 0;
                    }
                }
            }
            if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))) {
                json = Math.max(json, weight);
            } else if (type.equals("application/xml") || type.equals("text/xml")) {
                xml = Math.max(xml, weight);
            }
        }
        return json > 0 && json >= xml;
    }

    /** Marks the answer as gzip-compressed already; false when there is no servlet answer to mark. */
    public boolean markGzip() {
        if (answer == null) {
            return false;
        }
        answer.setHeader("Content-Encoding", "gzip");
        return true;
    }

    @Override
    public String toString() {
        return "Caller[" + requestId + " " + method + " " + path + "]";
    }

    /** Whether an Accept-Encoding value takes gzip (listed, or {@code *}, with a weight above 0). */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!name.equals("gzip") && !name.equals("x-gzip") && !name.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(parameter.substring(2).trim()) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    /** The app sent a validator: it holds a working answer that a 304 can confirm. */
    public boolean conditional() {
        return ifNoneMatch != null || ifModifiedSince != null;
    }
}
