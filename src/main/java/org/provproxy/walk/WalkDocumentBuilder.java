package org.provproxy.walk;

import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.camel.Variable;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings.DialActionSettings;
import org.provproxy.config.TenantSettings.StaticDialAction;
import org.provproxy.config.TenantSettings;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Starts a {@link Walk}, keeps the documents its branches fetch, and builds the walk document, the one input of
 * every shaping stylesheet:
 * <pre>
 * &lt;walk tenant=".." platform=".." userId=".."&gt;
 *   &lt;devices&gt;AccessDevices as XSI sent it&lt;/devices&gt;
 *   &lt;chosen-device&gt;the accessDevice chosen by choose-device.xsl (account walk)&lt;/chosen-device&gt;
 *   &lt;device-file&gt;the DMS file&lt;/device-file&gt;
 *   &lt;profile&gt;Profile&lt;/profile&gt;
 *   &lt;blf&gt;BusyLampField (absent when the service is not assigned)&lt;/blf&gt;
 *   &lt;speed-dial-8/&gt; &lt;speed-dial-100/&gt; &lt;anywhere/&gt;   (global provisioning; absent when not assigned)
 *   &lt;params&gt;tenant settings the stylesheets need, named as the tenant keys (ext-prov-interval, blf,
 *     tls-transport, send-caller-id, dial-actions, ...)&lt;/params&gt;
 * &lt;/walk&gt;
 * </pre>
 * Documents are copied untouched (namespaces kept); nothing is picked out here.
 */
@Component("walkDocument")
public class WalkDocumentBuilder {

    /** The variable that holds the walk of the exchange. */
    static final String WALK = "walk";
    private static final List<String> PARTS = List.of("devices", "device-file", "profile", "blf",
            "speed-dial-8", "speed-dial-100", "anywhere");

    private final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    private final ProvisioningProperties properties;

    public WalkDocumentBuilder(ProvisioningProperties properties) {
        this.properties = properties;
        factory.setNamespaceAware(true);
    }

    /** A new, empty walk, for variable {@code walk}. */
    public Walk start() {
        return new Walk();
    }

    /** Keeps the document a branch fetched as {@code part}; null (a service not assigned) leaves it out. */
    public void keep(Walk walk, String part, Document document) {
        walk.keep(part, document);
    }

    /** The walk document, or the first failure of the walk's branches. */
    public Document build(@Variable("signIn") SignIn signIn, @Variable(WALK) Walk walk) throws Exception {
        Throwable failure = walk.failure();
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException("walk failed", failure);
        }
        Document document = factory.newDocumentBuilder().newDocument();
        Element root = document.createElement("walk");
        document.appendChild(root);
        root.setAttribute("tenant", signIn.tenant().key());
        root.setAttribute("platform", signIn.platform());
        root.setAttribute("userId", signIn.userId());

        for (String part : PARTS) {
            walk.part(part).ifPresent(fetched -> append(root, part, fetched));
            if (part.equals("devices") && walk.device() != null && walk.device().accessDevice() != null) {
                append(root, "chosen-device", walk.device().accessDevice());
            }
        }

        Element params = document.createElement("params");
        root.appendChild(params);
        TenantSettings tenant = signIn.tenant();
        param(params, "device-type", signIn.device().deviceType());
        param(params, "device-file-name", signIn.device().file());
        param(params, "ext-prov-interval", String.valueOf(tenant.extProvInterval()));
        param(params, "blf", tenant.account().blf().value());
        param(params, "tls-transport", tenant.account().tlsTransport().value());
        param(params, "send-caller-id", String.valueOf(tenant.account().sendCallerId()));
        Element softClients = document.createElement("soft-client-types");
        params.appendChild(softClients);
        tenant.platforms().values().forEach(platform -> param(softClients, "type", platform.deviceType()));
        params.appendChild(dialActions(document, tenant.dialActions(), signIn));
        return document;
    }

    private static void append(Element root, String part, Document fetched) {
        Document walk = root.getOwnerDocument();
        Element holder = walk.createElement(part);
        holder.appendChild(walk.importNode(fetched.getDocumentElement(), true));
        root.appendChild(holder);
    }

    /**
     * {@code <dial-actions call-from-other-phone="true|false" label=".." url=".."><static id label url method
     * post-data/>..</dial-actions>}: what the tenant offers; global.xsl decides who gets what and how it looks.
     */
    private Element dialActions(Document walk, DialActionSettings config, SignIn signIn) {
        Element actions = walk.createElement("dial-actions");
        actions.setAttribute("call-from-other-phone", String.valueOf(config.callFromOtherPhone()));
        actions.setAttribute("label", config.callFromOtherPhoneLabel());
        // the proxy's public URL (config/PublicUrl), never the request's Host: the app posts its token there
        String base = signIn.caller().baseUrl();
        if (base != null) {
            actions.setAttribute("url", base + "/provisioning/actions/call-from-other-phone");
        }
        for (StaticDialAction action : config.statics()) {
            Element element = walk.createElement("static");
            element.setAttribute("id", action.id());
            element.setAttribute("label", action.label());
            element.setAttribute("url", action.url());
            element.setAttribute("method", action.method());
            element.setAttribute("post-data", action.postData());
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
