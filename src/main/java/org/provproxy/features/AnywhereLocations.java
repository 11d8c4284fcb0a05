package org.provproxy.features;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamException;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import net.sf.saxon.s9api.BuildingStreamWriter;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Body;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCache;
import org.provproxy.backend.BackendCall;
import org.provproxy.backend.BackendCalls;
import org.provproxy.backend.BackendFailures;
import org.provproxy.backend.XmlDocuments;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.features.AnywhereChange.Action;
import org.provproxy.request.Caller;
import org.provproxy.request.DialNumbers;
import org.provproxy.request.RequestParameters;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.shaping.XmlTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Adding, changing, enabling, disabling and removing the subscriber's BroadWorks Anywhere locations
 * (routes/api/anywhere-locations.yaml, routes/reply/answer-anywhere-location.yaml): the app's form checked before
 * XSI is asked, the XSI call (POST {@code services/BroadWorksAnywhere/Location}, PUT or DELETE
 * {@code …/Location/<number>}, the document made by xslt/anywhere-location.xsl; never cached), what XSI's answer
 * means ({@link #check}: a small table), the log line, and the answer: the location as XSI reads it afterwards
 * (xslt/anywhere-location-answer.xsl), or for a removal a localized {@code <result><message>}.
 */
@Component("anywhereLocations")
public class AnywhereLocations {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");

    /** The service (its document lists the locations) and the locations below it, as XSI resources of the user. */
    public static final String SERVICE = "services/BroadWorksAnywhere";
    public static final String LOCATIONS = SERVICE + "/Location";
    static final String PHONE_NUMBER = "phoneNumber";
    static final String DESCRIPTION = "description";
    static final String ACTIVE = "active";
    static final String OUTBOUND_ALTERNATE_NUMBER = "outboundAlternateNumber";
    /** The app's field names, in the order of XSI's BroadWorksAnywhereLocation (xslt/anywhere-location.xsl). */
    static final List<String> FIELDS = List.of(PHONE_NUMBER, DESCRIPTION, ACTIVE, OUTBOUND_ALTERNATE_NUMBER,
            "broadworksCallControl", "useDiversionInhibitor", "answerConfirmationRequired");
    static final List<String> BOOLEANS = List.of(ACTIVE, "broadworksCallControl", "useDiversionInhibitor",
            "answerConfirmationRequired");
    /**
     * A number XSI takes for a location: digits with an optional leading +, at most 22 digits (E.164 numbers have
     * 15; the bound keeps paths and logs short). The app may write it with spaces, dashes, dots or parentheses.
     */
    static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{1,22}");
    /** A description longer than this is refused before XSI (BroadWorks' descriptions are short labels). */
    static final int MAX_DESCRIPTION = 80;

    /**
     * XSI errorCodes (ErrorInfo) that mean something of their own for a location; the rest of the table is in
     * {@link #check}. 8251: the location (number) exists already; 110040: BroadWorks Anywhere not assigned.
     */
    static final Map<String, FailureKind> ERROR_CODES = Map.of(
            "8251", FailureKind.ANYWHERE_LOCATION_EXISTS,
            "110040", FailureKind.ANYWHERE_NOT_ASSIGNED);
    /** An ErrorInfo summary (or summaryEnglish) saying the number is taken, whatever its errorCode. */
    static final Pattern DUPLICATE_SUMMARY = Pattern.compile("already (exist|in use|assigned)|duplicate",
            Pattern.CASE_INSENSITIVE);
    /** XSI's "user not found" (BackendFailures): the user is gone, as for every service. */
    private static final String USER_NOT_FOUND = "100003";

    private final BackendCalls calls;
    private final BackendCache cache;
    private final BackendFailures failures;
    private final XmlDocuments xmlDocuments;
    private final Stylesheets stylesheets;
    private final Processor saxon;
    private final MessageSource messages;
    private final long maxParameterBytes;

    public AnywhereLocations(BackendCalls calls, BackendCache cache, BackendFailures failures,
                             XmlDocuments xmlDocuments, Stylesheets stylesheets, Processor saxon,
                             MessageSource messages, ProvisioningProperties properties) {
        this.calls = calls;
        this.cache = cache;
        this.failures = failures;
        this.xmlDocuments = xmlDocuments;
        this.stylesheets = stylesheets;
        this.saxon = saxon;
        this.messages = messages;
        this.maxParameterBytes = properties.getMaxParameterSize().toBytes();
    }

    /** What the log says of a location before and after: its active flag and description; null values: none. */
    public record LocationState(String active, String description) {
        static final LocationState NONE = new LocationState(null, null);
    }

    // ---- the request ----

    /** POST /services/features/anywhere/locations: a new location (phoneNumber required, active true by default). */
    public AnywhereChange add(Message in) {
        RequestParameters parameters = parameters(in);
        Map<String, String> fields = fields(parameters, true);
        if (!fields.containsKey(PHONE_NUMBER)) {
            throw bad(PHONE_NUMBER, "missing");
        }
        fields.putIfAbsent(ACTIVE, "true");
        return new AnywhereChange(Action.ADD, null, ordered(fields));
    }

    /**
     * {@code /services/features/anywhere/locations/{number}}: PUT changes the fields given, DELETE removes it; a
     * POST says which by {@code _method} (PUT or DELETE: apps whose web services only POST).
     */
    public AnywhereChange location(Message in, @Variable("caller") Caller caller) {
        String number = pathNumber(caller);
        String method = caller.method().toUpperCase(Locale.ROOT);
        if ("POST".equals(method)) {
            String override = parameters(in).value("_method");
            method = override == null ? "" : override.trim().toUpperCase(Locale.ROOT);
        }
        return switch (method) {
            case "PUT" -> {
                Map<String, String> fields = fields(parameters(in), false);
                if (fields.isEmpty()) {
                    throw new ProvisioningFailure(FailureKind.BAD_PARAMETER, "a location change of no field");
                }
                yield new AnywhereChange(Action.CHANGE, number, fields);
            }
            case "DELETE" -> new AnywhereChange(Action.REMOVE, number, Map.of());
            default -> throw bad("_method", "neither PUT nor DELETE");
        };
    }

    /** POST …/{number}/enable: active true. */
    public AnywhereChange enable(Message in, @Variable("caller") Caller caller) {
        return new AnywhereChange(Action.ENABLE, pathNumber(caller), Map.of(ACTIVE, "true"));
    }

    /** POST …/{number}/disable: active false. */
    public AnywhereChange disable(Message in, @Variable("caller") Caller caller) {
        return new AnywhereChange(Action.DISABLE, pathNumber(caller), Map.of(ACTIVE, "false"));
    }

    /** POST …/{number}/delete: removes it, for apps whose web services only POST. */
    public AnywhereChange remove(Message in, @Variable("caller") Caller caller) {
        return new AnywhereChange(Action.REMOVE, pathNumber(caller), Map.of());
    }

    /** The location's number from the request path (decoded), checked: a number XSI takes, nothing else. */
    static String pathNumber(Caller caller) {
        String[] segments = caller.path().split("/");
        // "", "services", "features", "anywhere", "locations", <number>[, <action>]
        String number = segments.length > 5 ? segments[5] : "";
        if (!NUMBER.matcher(number).matches()) {
            throw bad("number", "the path's location number is none");
        }
        return number;
    }

    /** The fields the app gave, checked; {@code add}: a field sent empty is left out (nothing to clear). */
    static Map<String, String> fields(RequestParameters parameters, boolean add) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String value = parameters.value(field);
            if (value == null) {
                continue;
            }
            String checked = checked(field, value);
            if (!(add && checked.isEmpty())) {
                fields.put(field, checked);
            }
        }
        return fields;
    }

    /** One field's value as XSI takes it; "" clears an optional one. */
    static String checked(String field, String value) {
        String trimmed = value.strip();
        if (BOOLEANS.contains(field)) {
            if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                return trimmed.toLowerCase(Locale.ROOT);
            }
            throw bad(field, "neither true nor false");
        }
        if (field.equals(DESCRIPTION)) {
            if (trimmed.length() > MAX_DESCRIPTION) {
                throw bad(field, "longer than " + MAX_DESCRIPTION + " characters");
            }
            return trimmed;
        }
        // a number: phoneNumber (never cleared) or outboundAlternateNumber (cleared when sent empty)
        if (trimmed.isEmpty() && field.equals(OUTBOUND_ALTERNATE_NUMBER)) {
            return "";
        }
        String number = DialNumbers.normalize(trimmed);
        if (number == null || !NUMBER.matcher(number).matches()) {
            throw bad(field, "not a phone number");
        }
        return number;
    }

    private static Map<String, String> ordered(Map<String, String> fields) {
        Map<String, String> ordered = new LinkedHashMap<>();
        FIELDS.stream().filter(fields::containsKey).forEach(field -> ordered.put(field, fields.get(field)));
        return ordered;
    }

    private static ProvisioningFailure bad(String field, String why) {
        return new ProvisioningFailure(FailureKind.BAD_FEATURE_VALUE, "location field " + field + ": " + why, field);
    }

    private RequestParameters parameters(Message in) {
        return RequestParameters.of(in instanceof PlatformHttpMessage http ? http.getRequest() : null,
                maxParameterBytes);
    }

    // ---- XSI ----

    /**
     * The locations as they are now (the service's document, never from the cache), for the log's "before"; a 403
     * here says BroadWorks Anywhere is not assigned before anything is written.
     */
    public BackendCall listCall(@Variable("signIn") SignIn signIn) {
        return calls.xsiGetFresh(signIn, SERVICE, "BroadWorksAnywhere", false);
    }

    /** The location's active flag and description before the change, from the list; NONE when it is not listed. */
    public LocationState before(@Variable("anywhereChange") AnywhereChange change,
                                @Variable("backendCall") BackendCall call,
                                @Variable("backendAnswer") BackendAnswer answer) {
        check(call, answer, false);
        XdmNode list = answer.document() != null ? answer.document() : xmlDocuments.document(answer, call);
        XdmNode root = XmlTrees.rootElement(list);
        XdmNode locations = root == null ? null : XmlTrees.firstDescendant(root, "locations");
        if (locations == null) {
            return LocationState.NONE;
        }
        for (XdmNode location : XmlTrees.elements(locations)) {
            if (change.number().equals(text(location, PHONE_NUMBER))) {
                return new LocationState(text(location, ACTIVE), text(location, DESCRIPTION));
            }
        }
        return LocationState.NONE;
    }

    /** The change itself: POST a new location, PUT what changes (xslt/anywhere-location.xsl), or DELETE it. */
    public BackendCall call(@Variable("signIn") SignIn signIn, @Variable("anywhereChange") AnywhereChange change)
            throws SaxonApiException, XMLStreamException {
        if (change.action() == Action.ADD) {
            return calls.xsiAction(signIn, "POST", LOCATIONS, document(signIn, change));
        }
        String resource = location(change.number());
        return change.action() == Action.REMOVE ? calls.xsiAction(signIn, "DELETE", resource)
                : calls.xsiAction(signIn, "PUT", resource, document(signIn, change));
    }

    /**
     * What XSI answered the change ({@link #check}); whatever it was, the user's kept service document (the features
     * list) is forgotten on this replica, so the next list reads it anew. A change XSI took is logged here, once,
     * whether or not the read-back that follows works: before as the list said, after as the change says.
     */
    public void done(@Variable("signIn") SignIn signIn, @Variable("anywhereChange") AnywhereChange change,
                     @Variable("anywhereBefore") LocationState before, @Variable("backendCall") BackendCall call,
                     @Variable("backendAnswer") BackendAnswer answer) {
        cache.forget(signIn.xsiCacheKey(SERVICE));
        check(call, answer, change.action() != Action.ADD);
        LocationState was = before != null ? before : LocationState.NONE;
        LocationState now = change.action() == Action.REMOVE ? LocationState.NONE
                : new LocationState(change.fields().getOrDefault(ACTIVE, was.active()),
                        change.fields().getOrDefault(DESCRIPTION, was.description()));
        log(signIn, change, was, now);
    }

    /** Whether the change is of a location there already (all but an addition): then its "before" is read. */
    public boolean existing(@Variable("anywhereChange") AnywhereChange change) {
        return change.number() != null;
    }

    /** Whether the change removed the location: its answer is a short message, nothing is read back. */
    public boolean removal(@Variable("anywhereChange") AnywhereChange change) {
        return change.action() == Action.REMOVE;
    }

    /** The location as XSI has it after the change (under its new number, when that changed), never from the cache. */
    public BackendCall readBackCall(@Variable("signIn") SignIn signIn, @Variable("anywhereChange") AnywhereChange change) {
        return calls.xsiGetFresh(signIn, location(change.numberAfter()), "BroadWorksAnywhereLocation", false);
    }

    /** The read-back's answer, unless it is a document (parsed then by backend-check): the failure it is. */
    public void readBack(@Variable("backendCall") BackendCall call, @Variable("backendAnswer") BackendAnswer answer) {
        check(call, answer, true);
    }

    /**
     * What XSI's non-2xx answer to an Anywhere call means, a small table (README "Call features: BroadWorks Anywhere
     * locations"):
     * <ul>
     *   <li>401, 429, 5xx, and 400 with errorCode 100003 (user not found): as for every XSI call (wrong credentials
     *       or user gone: the logout status; overload: 503), {@link BackendFailures};</li>
     *   <li>an errorCode of {@link #ERROR_CODES} (8251: the location exists, 110040: not assigned), else a summary
     *       saying the number exists already ({@link #DUPLICATE_SUMMARY}): that failure;</li>
     *   <li>404 of a location's own resource: the location is gone (404); 403 without an errorCode: BroadWorks
     *       Anywhere not assigned (409);</li>
     *   <li>any other 4xx: to a change, the platform refused it (feature-change-refused, 409); to a read, as for
     *       every XSI read ({@link BackendFailures}).</li>
     * </ul>
     *
     * @param location whether the call's resource is one location (a 404 then says it is gone)
     */
    void check(BackendCall call, BackendAnswer answer, boolean location) {
        int status = answer.status();
        if (answer.success()) {
            return;
        }
        if (status < 400 || status == 401 || status == 429 || status >= 500) {
            failures.raise(call, answer);
        }
        String[] error = errorInfo(answer);
        String code = error[0];
        if (status == 400 && USER_NOT_FOUND.equals(code)) {
            failures.raise(call, answer);
        }
        FailureKind kind = ERROR_CODES.get(code);
        if (kind == null && DUPLICATE_SUMMARY.matcher(error[1]).find()) {
            kind = FailureKind.ANYWHERE_LOCATION_EXISTS;
        }
        if (kind == null && status == 404 && location) {
            kind = FailureKind.ANYWHERE_LOCATION_GONE;
        }
        if (kind == null && status == 403 && code.isEmpty()) {
            kind = FailureKind.ANYWHERE_NOT_ASSIGNED;
        }
        if (kind == null && "GET".equals(call.method())) {
            failures.raise(call, answer);
        }
        throw new ProvisioningFailure(kind != null ? kind : FailureKind.FEATURE_CHANGE_REFUSED, "XSI "
                + call.method() + " " + call.resource() + " answered " + status
                + (code.isEmpty() ? "" : " errorCode " + code) + (error[1].isBlank() ? "" : " (" + error[1] + ")"));
    }

    /** errorCode and summary (summary + summaryEnglish) of XSI's ErrorInfo; empty when it sent none or no XML. */
    private String[] errorInfo(BackendAnswer answer) {
        byte[] body = answer.body();
        if (body == null || body.length == 0) {
            return new String[] {"", ""};
        }
        try {
            XdmNode info = xmlDocuments.parse(body, answer.contentType(), "XSI error");
            XdmNode code = XmlTrees.firstDescendant(info, "errorCode");
            XdmNode summary = XmlTrees.firstDescendant(info, "summary");
            XdmNode english = XmlTrees.firstDescendant(info, "summaryEnglish");
            String said = ((summary == null ? "" : summary.getStringValue()) + " "
                    + (english == null ? "" : english.getStringValue())).replaceAll("\\s+", " ").strip();
            // XSI's text, logged: bounded
            return new String[] {code == null ? "" : code.getStringValue().strip(),
                    said.length() > 200 ? said.substring(0, 200) : said};
        } catch (ProvisioningFailure unreadable) {
            return new String[] {"", ""};
        }
    }

    /** A location's resource: its number one encoded path segment. */
    private static String location(String number) {
        return LOCATIONS + "/" + UriUtils.encodePathSegment(number, StandardCharsets.UTF_8);
    }

    /**
     * The BroadWorksAnywhereLocation to send: a small input document of the checked fields ({@code <location>}, one
     * element each, clear="true" for one sent empty) shaped by xslt/anywhere-location.xsl.
     */
    byte[] document(SignIn signIn, AnywhereChange change) throws SaxonApiException, XMLStreamException {
        BuildingStreamWriter out = saxon.newDocumentBuilder().newBuildingStreamWriter();
        out.writeStartDocument();
        out.writeStartElement("location");
        for (Map.Entry<String, String> field : change.fields().entrySet()) {
            out.writeStartElement(field.getKey());
            if (field.getValue().isEmpty()) {
                out.writeAttribute("clear", "true");
            } else {
                out.writeCharacters(field.getValue());
            }
            out.writeEndElement();
        }
        out.writeEndElement();
        out.writeEndDocument();
        out.close();
        return stylesheets.transformToBytes(signIn.tenant().key(), "anywhere-location.xsl", out.getDocumentNode(),
                Map.of());
    }

    // ---- the answer ----

    /**
     * The location as XSI read it after the change (the body: its BroadWorksAnywhereLocation, checked by
     * backend-check), shaped for the app (XML, or JSON by Accept).
     */
    public byte[] answer(@Variable("signIn") SignIn signIn, @Body XdmNode location) throws SaxonApiException {
        return stylesheets.transformToBytes(signIn.tenant().key(), "anywhere-location-answer.xsl", location,
                Map.of("format", signIn.caller().json() ? "json" : "xml"));
    }

    /** The answer of a removal: {@code <result><message>…</message></result>}, localized. */
    public Result result(@Variable("caller") Caller caller) {
        return new Result(messages.getMessage("action.anywhere-location-removed", null, caller.locale()));
    }

    /** {@code <result><message>…</message></result>}, as the voicemail actions'. */
    @JacksonXmlRootElement(localName = "result")
    public record Result(String message) {
    }

    /** One INFO line per change: who, which location, what it was and is; never the token. */
    private static void log(SignIn signIn, AnywhereChange change, LocationState before, LocationState after) {
        String number = change.number() == null ? change.numberAfter()
                : change.number().equals(change.numberAfter()) ? change.number()
                : change.number() + "->" + change.numberAfter();
        LOG.info("anywhere location {} tenant={} user={} location={} active={}->{} description={}->{}",
                change.action().logName(), signIn.tenant().key(), signIn.userId(), number,
                shown(before.active()), shown(after.active()), quoted(before.description()),
                quoted(after.description()));
    }

    private static String shown(String value) {
        return value == null ? "-" : value;
    }

    /** A description as logged: quoted, XSI's text bounded and without anything that could forge a log line. */
    private static String quoted(String value) {
        if (value == null) {
            return "-";
        }
        String clean = value.replaceAll("[\\p{Cntrl}\"]", " ");
        return "\"" + (clean.length() > MAX_DESCRIPTION ? clean.substring(0, MAX_DESCRIPTION) : clean) + "\"";
    }

    private static String text(XdmNode parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (XdmNode child : XmlTrees.elements(parent)) {
            if (localName.equals(child.getNodeName().getLocalName())) {
                return child.getStringValue().strip();
            }
        }
        return null;
    }
}
