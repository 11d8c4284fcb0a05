package org.provproxy;

import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds the walk document, the one input of every shaping stylesheet:
 * <pre>
 * &lt;walk tenant=".." platform=".." userId=".."&gt;
 *   &lt;devices&gt;AccessDevices as XSI sent it&lt;/devices&gt;
 *   &lt;device-file&gt;the DMS file&lt;/device-file&gt;
 *   &lt;profile&gt;Profile&lt;/profile&gt;
 *   &lt;blf&gt;BusyLampField (absent when the service is not assigned)&lt;/blf&gt;
 *   &lt;params&gt;tenant settings the stylesheets need&lt;/params&gt;
 * &lt;/walk&gt;
 * </pre>
 * Documents are copied untouched (namespaces kept); nothing is picked out here.
 */
@Component("walkDocument")
public class WalkDocumentBuilder {

    private static final List<String> PARTS = List.of("devices", "device-file", "profile", "blf");

    private final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    private final ProvisioningProperties properties;

    public WalkDocumentBuilder(ProvisioningProperties properties) {
        this.properties = properties;
        factory.setNamespaceAware(true);
    }

    public Document build(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(WalkAggregationStrategy.FAILURE, Throwable.class);
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException("walk failed", failure);
        }
        Document walk = factory.newDocumentBuilder().newDocument();
        Element root = walk.createElement("walk");
        walk.appendChild(root);
        root.setAttribute("tenant", exchange.getProperty("tenant", String.class));
        root.setAttribute("platform", exchange.getProperty("platform", String.class));
        root.setAttribute("userId", exchange.getProperty("userId", String.class));

        for (String part : PARTS) {
            Document document = exchange.getProperty(WalkAggregationStrategy.PREFIX + part, Document.class);
            if (document != null && document.getDocumentElement() != null) {
                Element holder = walk.createElement(part);
                holder.appendChild(walk.importNode(document.getDocumentElement(), true));
                root.appendChild(holder);
            }
        }

        Element params = walk.createElement("params");
        root.appendChild(params);
        param(params, "device-type", exchange.getProperty("deviceType", String.class));
        param(params, "device-file-name", exchange.getProperty("deviceFileName", String.class));
        param(params, "ext-prov-interval", exchange.getProperty("extProvInterval", String.class));
        param(params, "blf-key", properties.getBlfKey());
        return walk;
    }

    private static void param(Element params, String name, String value) {
        if (value != null) {
            Node param = params.getOwnerDocument().createElement(name);
            param.setTextContent(value);
            params.appendChild(param);
        }
    }
}
