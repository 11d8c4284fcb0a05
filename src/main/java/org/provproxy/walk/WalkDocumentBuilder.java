package org.provproxy.walk;

import java.util.List;

import net.sf.saxon.event.ComplexContentOutputter;
import net.sf.saxon.event.NamespaceReducer;
import net.sf.saxon.event.PipelineConfiguration;
import net.sf.saxon.event.ReceiverOption;
import net.sf.saxon.expr.parser.Loc;
import net.sf.saxon.om.NoNamespaceName;
import net.sf.saxon.s9api.Location;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;
import net.sf.saxon.serialize.SerializationProperties;
import net.sf.saxon.str.StringView;
import net.sf.saxon.trans.XPathException;
import net.sf.saxon.type.BuiltInAtomicType;
import net.sf.saxon.type.Untyped;
import org.provproxy.config.TenantSettings.DialActionSettings;
import org.provproxy.config.TenantSettings.StaticDialAction;
import org.provproxy.config.TenantSettings;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;
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
 *   &lt;call-logs&gt;CallLogs (the call history; absent when not assigned)&lt;/call-logs&gt;
 *   &lt;voicemail/&gt; &lt;voicemail-summary/&gt; &lt;voicemail-links/&gt;   (voicemail list, voicemail/Voicemails)
 *   &lt;params&gt;tenant settings the stylesheets need, named as the tenant keys (ext-prov-interval, blf,
 *     tls-transport, send-caller-id, network-id, dial-actions, ...)&lt;/params&gt;
 * &lt;/walk&gt;
 * </pre>
 * Documents are copied untouched (namespaces kept); nothing is picked out here. The walk document is a Saxon
 * tree, built by copying the parts' trees (parsed once, backend/XmlDocuments): no text is parsed here.
 */
@Component("walkDocument")
public class WalkDocumentBuilder {

    private static final List<String> PARTS = List.of("devices", "device-file", "profile", "blf",
            "speed-dial-8", "speed-dial-100", "anywhere", "call-logs",
            // the voicemail list: VoiceMessagingMessages, MessageSummary, the ids and audio URLs made in Java
            "voicemail", "voicemail-summary", "voicemail-links",
            // the call features (features/Feature.part): one XSI service each
            "feature-do-not-disturb", "feature-call-forwarding-always", "feature-call-forwarding-busy",
            "feature-call-forwarding-no-answer", "feature-call-forwarding-not-reachable", "feature-broadworks-anywhere",
            "feature-anonymous-call-rejection", "feature-automatic-callback",
            "feature-calling-line-id-delivery-blocking", "feature-remote-office");

    private static final Location NOWHERE = Loc.NONE;

    private final Processor saxon;

    public WalkDocumentBuilder(Processor saxon) {
        this.saxon = saxon;
    }

    /** A new, empty walk, for variable {@code walk}. */
    public Walk start() {
        return new Walk();
    }

    /** Keeps the document a branch fetched as {@code part}; null (a service not assigned) leaves it out. */
    public void keep(Walk walk, String part, XdmNode document) {
        walk.keep(part, document);
    }

    /** The walk document of a walk whose branches all succeeded (shaping/Shaping checks that first). */
    public XdmNode build(SignIn signIn, Walk walk) throws XPathException {
        XdmDestination destination = new XdmDestination();
        ComplexContentOutputter out = open(destination);
        start(out, "walk");
        attribute(out, "tenant", signIn.tenant().key());
        attribute(out, "platform", signIn.platform());
        attribute(out, "userId", signIn.userId());
        out.startContent();

        for (String part : PARTS) {
            XdmNode fetched = walk.part(part).orElse(null);
            if (fetched != null) {
                copy(out, part, fetched);
            }
            if (part.equals("devices") && walk.device() != null && walk.device().accessDevice() != null) {
                copy(out, "chosen-device", walk.device().accessDevice());
            }
        }

        start(out, "params");
        out.startContent();
        TenantSettings tenant = signIn.tenant();
        param(out, "device-type", signIn.device().deviceType());
        param(out, "device-file-name", signIn.device().file());
        param(out, "ext-prov-interval", String.valueOf(tenant.extProvInterval()));
        param(out, "blf", tenant.account().blf().value());
        param(out, "tls-transport", tenant.account().tlsTransport().value());
        param(out, "send-caller-id", String.valueOf(tenant.account().sendCallerId()));
        param(out, "network-id", tenant.account().networkId().value());
        start(out, "soft-client-types");
        out.startContent();
        for (TenantSettings.PlatformSettings platform : tenant.platforms().values()) {
            param(out, "type", platform.deviceType());
        }
        out.endElement();
        dialActions(out, tenant.dialActions(), signIn);
        out.endElement();

        out.endElement();
        return close(out, destination);
    }

    /**
     * The walk document of a directory (contacts.xsl's input), shared by every user of the enterprise or group, so
     * nothing in it is about the user who asked:
     * {@code <walk tenant directory="enterprise|group" enterpriseId groupId><directory>page..</directory></walk>}.
     */
    public XdmNode directory(String tenant, String kind, String enterpriseId, String groupId, List<XdmNode> pages)
            throws XPathException {
        XdmDestination destination = new XdmDestination();
        ComplexContentOutputter out = open(destination);
        start(out, "walk");
        attribute(out, "tenant", tenant);
        attribute(out, "directory", kind);
        attribute(out, "enterpriseId", enterpriseId);
        attribute(out, "groupId", groupId);
        out.startContent();
        start(out, "directory");
        out.startContent();
        for (XdmNode page : pages) {
            appendRoot(out, page);
        }
        out.endElement();
        out.endElement();
        return close(out, destination);
    }

    /** A document being written into {@code destination}, open. */
    private ComplexContentOutputter open(XdmDestination destination) throws XPathException {
        PipelineConfiguration pipe = saxon.getUnderlyingConfiguration().makePipelineConfiguration();
        ComplexContentOutputter out = new ComplexContentOutputter(
                new NamespaceReducer(destination.getReceiver(pipe, new SerializationProperties())));
        out.open();
        out.startDocument(ReceiverOption.NONE);
        return out;
    }

    private static XdmNode close(ComplexContentOutputter out, XdmDestination destination) throws XPathException {
        out.endDocument();
        out.close();
        return destination.getXdmNode();
    }

    /** The fetched document's root element (or the element itself), copied whole, namespaces kept. */
    private static void appendRoot(ComplexContentOutputter out, XdmNode fetched) throws XPathException {
        for (XdmNode child : fetched.getNodeKind() == XdmNodeKind.DOCUMENT ? fetched.children() : List.of(fetched)) {
            if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                out.append(child.getUnderlyingNode(), NOWHERE, ReceiverOption.ALL_NAMESPACES);
            }
        }
    }

    /** {@code <part>} holding the fetched document's root element (or the element itself). */
    private static void copy(ComplexContentOutputter out, String part, XdmNode fetched) throws XPathException {
        start(out, part);
        out.startContent();
        appendRoot(out, fetched);
        out.endElement();
    }

    /**
     * {@code <dial-actions call-from-other-phone="true|false" label=".." url=".."><static id label url method
     * post-data/>..</dial-actions>}: what the tenant offers; global.xsl decides who gets what and how it looks.
     */
    private static void dialActions(ComplexContentOutputter out, DialActionSettings config, SignIn signIn)
            throws XPathException {
        start(out, "dial-actions");
        attribute(out, "call-from-other-phone", String.valueOf(config.callFromOtherPhone()));
        attribute(out, "label", config.callFromOtherPhoneLabel());
        // the proxy's public URL (config/PublicUrl), never the request's Host: the app posts its token there
        String base = signIn.caller().baseUrl();
        if (base != null) {
            attribute(out, "url", base + "/provisioning/actions/call-from-other-phone");
        }
        out.startContent();
        for (StaticDialAction action : config.statics()) {
            start(out, "static");
            attribute(out, "id", action.id());
            attribute(out, "label", action.label());
            attribute(out, "url", action.url());
            attribute(out, "method", action.method());
            attribute(out, "post-data", action.postData());
            out.startContent();
            out.endElement();
        }
        out.endElement();
    }

    private static void start(ComplexContentOutputter out, String name) throws XPathException {
        out.startElement(new NoNamespaceName(name), Untyped.getInstance(), NOWHERE, ReceiverOption.NONE);
    }

    private static void attribute(ComplexContentOutputter out, String name, String value) throws XPathException {
        out.attribute(new NoNamespaceName(name), BuiltInAtomicType.UNTYPED_ATOMIC, value == null ? "" : value,
                NOWHERE, ReceiverOption.NONE);
    }

    private static void param(ComplexContentOutputter out, String name, String value) throws XPathException {
        if (value != null) {
            start(out, name);
            out.startContent();
            out.characters(StringView.of(value), NOWHERE, ReceiverOption.NONE);
            out.endElement();
        }
    }
}
