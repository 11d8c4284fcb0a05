package org.provproxy.backend;

import org.apache.camel.Variable;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Classifies a non-2xx answer of XSI or the DMS into a {@link FailureKind} and throws it. The routes call this
 * only when the answer is not a success they can use.
 */
@Component("backendFailures")
public class BackendFailures {

    /** XSI error code for "user not found": an unknown user is 400, not 404. */
    static final String USER_NOT_FOUND = "100003";

    private final XmlDocuments xmlDocuments;

    public BackendFailures(XmlDocuments xmlDocuments) {
        this.xmlDocuments = xmlDocuments;
    }

    /** The answer of {@code call} cannot be used: throws its classified failure. */
    public void raise(@Variable("backendCall") BackendCall call, @Variable("backendAnswer") BackendAnswer answer) {
        if (call.backend() == BackendCall.Backend.DMS) {
            dms(answer.status(), call.deviceName());
        }
        xsi(answer.status(), answer.body(), answer.contentType(), call.resource());
    }

    public void xsi(int status, byte[] body, String contentType, String resource) {
        String where = "XSI " + resource + " answered " + status;
        if (status == 401) {
            throw new ProvisioningFailure(FailureKind.WRONG_CREDENTIALS, where);
        }
        if (status == 400 && USER_NOT_FOUND.equals(errorCode(body, contentType))) {
            throw new ProvisioningFailure(FailureKind.USER_GONE, where + " (user not found)");
        }
        throw new ProvisioningFailure(common(status), where);
    }

    public void dms(int status, String deviceName) {
        String where = "DMS answered " + status + " for the device file of '" + deviceName + "'";
        if (status == 401 || status == 403) {
            throw new ProvisioningFailure(FailureKind.DMS_REJECTED, where, deviceName);
        }
        throw new ProvisioningFailure(common(status), where, deviceName);
    }

    private static FailureKind common(int status) {
        return status >= 500 ? FailureKind.BACKEND_UNAVAILABLE : FailureKind.BACKEND_REJECTED;
    }

    /** errorCode of an XSI ErrorInfo body; empty when there is none (low-level errors often have no body). */
    private String errorCode(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            Document doc = xmlDocuments.parse(body, contentType, "XSI error");
            NodeList codes = doc.getElementsByTagNameNS("*", "errorCode");
            return codes.getLength() > 0 ? codes.item(0).getTextContent().trim() : "";
        } catch (ProvisioningFailure unreadable) {
            return "";
        }
    }
}
