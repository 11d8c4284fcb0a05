package org.provproxy.walk;

import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.Tenants;

import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.camel.Exchange;
import org.provproxy.config.ProvisioningProperties.DialActions;
import org.provproxy.config.ProvisioningProperties.StaticDialAction;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds the walk document, the one input of every shaping stylesheet:
 * <pre>
 * &lt;walk tenant=".." platform=".." userId=".."&gt;
 *   &lt;devices&gt;AccessDevices as XSI sent it&lt;/devices&gt;
 *   &lt;chosen-device&gt;the accessDevice choose-device.xsl chose, as XSI sent it&lt;/chosen-device&gt;
 *   &lt;device-file&gt;the DMS file&lt;/device-file&gt;
 *   &lt;profile&gt;Profile&lt;/profile&gt;
 *   &lt;blf&gt;BusyLampField (absent when the service is not assigned)&lt;/blf&gt;
 *   &lt;speed-dial-8/&gt; &lt;speed-dial-100/&gt; &lt;anywhere/&gt;   (global provisioning; absent when not assigned)
 *   &lt;params&gt;tenant settings the stylesheets need&lt;/params&gt;
 * &lt;/walk&gt;
 * </pre>
 * {@code chosen-device} comes from {@link DeviceChoice} (account walks only), so account.xsl reads the device whose
 * file was downloaded rather than choosing again. Documents are copied untouched (namespaces kept); nothing is
 * picked out here.
 */
@Component("walkDocument")
public class WalkDocumentBuilder {

    private static final List<String> PARTS = List.of("devices", "chosen-device", "device-file", "profile", "blf",
            "speed-dial-8", "speed-dial-100", "anywhere");

    private final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    private final ProvisioningProperties properties;
    private final Tenants tenants;

    public WalkDocumentBuilder(ProvisioningProperties properties, Tenants tenants) {
        this.properties = properties;
        this.tenants = tenants;
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
        Tenant tenant = tenants.settingsOf(exchange.getProperty("tenant", String.class));
        Element softClients = walk.createElement("soft-client-types");
        params.appendChild(softClients);
        for (String platform : tenant.getPlatforms().keySet()) {
            param(softClients, "type", tenants.platform(tenant, platform).getDeviceType());
        }
        params.appendChild(dialActions(walk, tenant.getDialActions(), exchange));
        return walk;
    }

    /**
     * {@code <dial-actions call-from-other-phone="true|false" label=".." url=".."><static id label url method
     * post-data/>..</dial-actions>}: what the tenant offers; global.xsl decides who gets what and how it looks.
     */
    private Element dialActions(Document walk, DialActions config, Exchange exchange) {
        Element actions = walk.createElement("dial-actions");
        actions.setAttribute("call-from-other-phone", String.valueOf(config.isCallFromOtherPhone()));
        actions.setAttribute("label", config.getCallFromOtherPhoneLabel());
        String base = properties.getPublicUrl().isBlank()
                ? exchange.getProperty("requestBaseUrl", "", String.class) : properties.getPublicUrl();
        actions.setAttribute("url", (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/provisioning/actions/call-from-other-phone");
        for (StaticDialAction action : config.getStatics()) {
            Element element = walk.createElement("static");
            element.setAttribute("id", action.getId());
            element.setAttribute("label", action.getLabel());
            element.setAttribute("url", action.getUrl());
            element.setAttribute("method", action.getMethod());
            element.setAttribute("post-data", action.getPostData());
            actions.appendChild(element);
        }
        return actions;
    }

    private static void param(Element params, String name, String value) {
        if (value != null) {
            Node param = params.getOwnerDocument().createElement(name);
            param.setTextContent(value);
            params.appendChild(param);
        }
    }
}
