package org.provproxy.walk;

import org.provproxy.backend.CredentialKeys;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Takes the verdict of {@code xslt/choose-device.xsl} ({@code <device status="ok|no-device|…" name url user
 * password><chosen>accessDevice</chosen>…</device>}): either the device file can be fetched (URL and device
 * credentials go into exchange properties, the chosen accessDevice into walk part {@code chosen-device}) or the
 * request fails with what the administrator must fix.
 */
@Component("deviceChoice")
public class DeviceChoice {

    /** Every access device the stylesheet considered, with its verdict (for /provisioning/explain). */
    static java.util.List<java.util.Map<String, String>> verdicts(Element device) {
        java.util.List<java.util.Map<String, String>> verdicts = new java.util.ArrayList<>();
        org.w3c.dom.NodeList considered = device.getElementsByTagName("considered");
        for (int i = 0; i < considered.getLength(); i++) {
            Element one = (Element) considered.item(i);
            verdicts.add(java.util.Map.of("name", one.getAttribute("name"), "type", one.getAttribute("type"),
                    "verdict", one.getAttribute("verdict")));
        }
        return verdicts;
    }

    private final CredentialKeys credentialKeys;

    public DeviceChoice(CredentialKeys credentialKeys) {
        this.credentialKeys = credentialKeys;
    }

    public void require(Document verdict, Exchange exchange) {
        Element device = verdict.getDocumentElement();
        String name = device.getAttribute("name");
        exchange.setProperty(WalkAggregationStrategy.PREFIX + "device-name", name);
        exchange.setProperty(WalkAggregationStrategy.PREFIX + "device-verdicts", verdicts(device));
        // the chosen accessDevice joins the walk, so account.xsl reads the device whose file is downloaded
        if (device.getElementsByTagName("chosen").item(0) instanceof Element chosen
                && chosen.getElementsByTagName("*").item(0) instanceof Element accessDevice) {
            Document part = verdict.getImplementation().createDocument(null, null, null);
            part.appendChild(part.importNode(accessDevice, true));
            exchange.setProperty(WalkAggregationStrategy.PREFIX + "chosen-device", part);
        }
        String status = device.getAttribute("status");
        if (!"ok".equals(status)) {
            throw new ProvisioningFailure(FailureKind.fromCode(status),
                    "device type '" + exchange.getProperty("deviceType") + "'", name);
        }
        exchange.setProperty("deviceFileUrl",
                device.getAttribute("url") + exchange.getProperty("deviceFileName", String.class));
        exchange.setProperty("deviceUser", device.getAttribute("user"));
        exchange.setProperty("devicePassword", device.getAttribute("password"));
        exchange.setProperty("deviceCredentialKey",
                credentialKeys.of(device.getAttribute("user"), device.getAttribute("password")));
    }
}
