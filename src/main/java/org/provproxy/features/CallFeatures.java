package org.provproxy.features;

import java.util.LinkedHashMap;
import java.util.Map;

import net.sf.saxon.s9api.BuildingStreamWriter;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.provproxy.account.ContentVersions;
import org.provproxy.account.AccountVersion;
import org.provproxy.account.AccountVersions;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCall;
import org.provproxy.backend.BackendCalls;
import org.provproxy.backend.BackendFailures;
import org.provproxy.backend.XmlDocuments;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.Caller;
import org.provproxy.request.RequestParameters;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.shaping.XmlTrees;
import org.provproxy.walk.Walk;
import org.provproxy.walk.WalkDocumentBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The call features web service's own steps (routes/reply/answer-features.yaml): every feature the user has, shaped
 * by xslt/features.xsl as XML or JSON, with its version; and a change of one feature: the request checked
 * ({@link FeatureChange}), the state before (read fresh), XSI's PUT (its document made by xslt/feature-change.xsl),
 * what XSI's answer means, the state after (read back fresh), logged once, answered as the feature's part of the
 * features document.
 *
 * <p>Versions as the call history's: the ETag is the SHA-256 of the bytes sent; Last-Modified is when this replica
 * first gave this content to this user in this format (a bounded map). XSI's services carry no time of their own.
 */
@Component("callFeatures")
public class CallFeatures {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");
    private static final String STYLESHEET = "features.xsl";
    private static final String CHANGE_STYLESHEET = "feature-change.xsl";

    private final Stylesheets stylesheets;
    private final WalkDocumentBuilder walkDocuments;
    private final BackendCalls calls;
    private final BackendFailures failures;
    private final Processor saxon;
    private final XmlDocuments xmlDocuments;
    private final long maxParameterBytes;
    private final ContentVersions<Key> versions;

    public CallFeatures(Stylesheets stylesheets, WalkDocumentBuilder walkDocuments, BackendCalls calls,
                        BackendFailures failures, Processor saxon, XmlDocuments xmlDocuments,
                        ProvisioningProperties properties) {
        this.xmlDocuments = xmlDocuments;
        this.stylesheets = stylesheets;
        this.walkDocuments = walkDocuments;
        this.calls = calls;
        this.failures = failures;
        this.saxon = saxon;
        this.maxParameterBytes = properties.getMaxParameterSize().toBytes();
        this.versions = new ContentVersions<>(properties.getCache().getMaxEntries());
    }

    // ---- GET /services/features

    /** Every feature of the walk (a part per service, absent when not assigned), as XML or JSON, with its ETag. */
    public FeaturesAnswer shaped(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) throws Exception {
        boolean json = signIn.caller().json();
        byte[] body = shape(signIn, walk, json, "");
        ContentVersions.Version version = versions.of(new Key(signIn.tenant().key(), signIn.userId(), json), body);
        return new FeaturesAnswer(body, version.etag(), version.since());
    }

    /** The walk's features through the tenant's features.xsl: all ({@code only} empty) or one. */
    public byte[] shape(SignIn signIn, Walk walk, boolean json, String only) throws Exception {
        walk.requireSucceeded();
        return stylesheets.transformToBytes(signIn.tenant().key(), STYLESHEET, walkDocuments.build(signIn, walk),
                Map.of("format", json ? "json" : "xml", "only", only));
    }

    /** ETag and Last-Modified; 304 when the app's validators match (If-None-Match first). */
    public AccountVersion version(@Variable("featuresAnswer") FeaturesAnswer answer, @Variable("caller") Caller caller) {
        return AccountVersions.of(answer.etag(), answer.lastModified(), caller);
    }

    public byte[] body(@Variable("featuresAnswer") FeaturesAnswer answer) {
        return answer.body();
    }

    // ---- PUT /services/features/<name>

    /**
     * The change the request asks for: the feature named in the path ({@code unknown-feature}, 404, when none),
     * its fields from the form (or query), checked. A POST is a change only with {@code _method=PUT} (for clients
     * that cannot send PUT); any other POST is refused with 405.
     */
    public FeatureChange change(Message in, @Variable("caller") Caller caller) {
        String[] segments = caller.path().split("/");
        // "", "services", "features", <name>
        String name = segments.length == 4 ? segments[3] : "";
        Feature feature = Feature.named(name).orElseThrow(() -> new ProvisioningFailure(FailureKind.UNKNOWN_FEATURE,
                "no call feature '" + (name.matches("[a-z-]{1,40}") ? name : "?") + "'"));
        RequestParameters parameters = RequestParameters.of(
                in instanceof PlatformHttpMessage http ? http.getRequest() : null, maxParameterBytes);
        Map<String, String> given = parameters.all();
        String method = given.get("_method");
        if ("POST".equals(caller.method()) ? !"PUT".equals(method) : method != null && !"PUT".equals(method)) {
            throw new ProvisioningFailure(FailureKind.METHOD_NOT_ALLOWED,
                    caller.method() + " with _method=" + method, Map.of("Allow", "PUT, POST"));
        }
        return FeatureChange.of(feature, given);
    }


    /** GET of the feature's XSI service, never from the backend cache (also a desk phone may have changed it). */
    public BackendCall read(@Variable("signIn") SignIn signIn, @Variable("featureChange") FeatureChange change) {
        Feature feature = change.feature();
        return calls.xsiGetFresh(signIn, feature.resource(), feature.service(), true);
    }

    /** The service's document as read, or {@code feature-not-assigned} (409) when XSI said 403. */
    public XdmNode assigned(@Variable("featureChange") FeatureChange change, XdmNode document) {
        if (document == null) {
            throw notAssigned(change.feature(), "GET");
        }
        return document;
    }

    /** XSI's PUT of the service, with the document xslt/feature-change.xsl writes from the change. */
    public BackendCall put(@Variable("signIn") SignIn signIn, @Variable("featureChange") FeatureChange change)
            throws Exception {
        return calls.xsiAction(signIn, "PUT", change.feature().resource(), xsiDocument(signIn.tenant().key(), change));
    }

    /** The XSI document of {@code change} (UTF-8): the change as a small document, shaped by feature-change.xsl. */
    public byte[] xsiDocument(String tenant, FeatureChange change) throws Exception {
        BuildingStreamWriter writer = saxon.newDocumentBuilder().newBuildingStreamWriter();
        writer.writeStartDocument();
        writer.writeStartElement("change");
        writer.writeAttribute("service", change.feature().service());
        for (Map.Entry<String, String> field : change.values().entrySet()) {
            writer.writeStartElement("field");
            writer.writeAttribute("name", field.getKey());
            writer.writeCharacters(field.getValue());
            writer.writeEndElement();
        }
        writer.writeEndElement();
        writer.writeEndDocument();
        return stylesheets.transformToBytes(tenant, CHANGE_STYLESHEET, writer.getDocumentNode(), Map.of());
    }

    /**
     * What XSI answered the PUT: a 2xx is done; 403 the feature is not assigned (409); another refusal of the
     * change itself (400, 404, 409: a number XSI does not take) {@code feature-change-refused} (409, with XSI's
     * words in the log); 401, 429 and 5xx as any XSI answer (wrong credentials, or try again later: 503).
     */
    public void done(@Variable("featureChange") FeatureChange change, @Variable("backendCall") BackendCall call,
                     @Variable("backendAnswer") BackendAnswer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 403) {
            throw notAssigned(change.feature(), "PUT");
        }
        if (status >= 400 && status < 500 && status != 401 && status != 429) {
            throw new ProvisioningFailure(FailureKind.FEATURE_CHANGE_REFUSED, "XSI " + call.resource() + " answered "
                    + status + " to the change " + change.values().keySet() + summary(answer),
                    change.feature().featureName());
        }
        failures.raise(call, answer);
    }

    /**
     * The answer of a change: the feature as XSI reads it now ({@code after}, read back fresh), shaped as its part
     * of the features document; and the change's one log line, the state before and after.
     */
    public byte[] changed(@Variable("signIn") SignIn signIn, @Variable("featureChange") FeatureChange change,
                          @Variable("featureBefore") XdmNode before, XdmNode after) throws Exception {
        Feature feature = change.feature();
        if (after == null) {
            throw notAssigned(feature, "GET after PUT");
        }
        LOG.info("feature changed tenant={} user={} feature={} {} -> {}", signIn.tenant().key(), signIn.userId(),
                feature.featureName(), state(feature, before), state(feature, after));
        Walk walk = walkDocuments.start();
        walkDocuments.keep(walk, feature.part(), after);
        return shape(signIn, walk, signIn.caller().json(), feature.featureName());
    }

    /** The feature's fields as XSI has them, for the log: {active=true, forwardToPhoneNumber=+1555}. */
    static Map<String, String> state(Feature feature, XdmNode document) {
        XdmNode root = XmlTrees.rootElement(document);
        Map<String, String> state = new LinkedHashMap<>();
        for (Feature.Field field : feature.fields()) {
            String value = "";
            for (XdmNode child : root == null ? java.util.List.<XdmNode>of() : XmlTrees.elements(root)) {
                if (child.getNodeName().getLocalName().equals(field.name())) {
                    value = child.getStringValue().trim();
                    break;
                }
            }
            state.put(field.name(), value);
        }
        return state;
    }

    private static ProvisioningFailure notAssigned(Feature feature, String how) {
        return new ProvisioningFailure(FailureKind.FEATURE_NOT_ASSIGNED, "XSI " + feature.resource() + " answered 403 to "
                + how + ": not assigned", feature.featureName());
    }

    /** XSI's ErrorInfo summaryEnglish, shortened, for the log; empty when there is none. */
    private String summary(BackendAnswer answer) {
        byte[] body = answer.body();
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            XdmNode summary = XmlTrees.firstDescendant(
                    xmlDocuments.parse(body, answer.contentType(), "XSI error"), "summaryEnglish");
            // XSI's words, bounded and printable: a log line, not a place for whatever the answer holds
            String text = summary == null ? "" : summary.getStringValue().strip().replaceAll("[^\\x20-\\x7e]", "?");
            return text.isEmpty() ? "" : " (" + (text.length() > 200 ? text.substring(0, 200) : text) + ")";
        } catch (ProvisioningFailure unreadable) {
            return "";
        }
    }

    /** Forgets every Last-Modified (tests). */
    public void clear() {
        versions.clear();
    }


    private record Key(String tenant, String userId, boolean json) {
    }

}
