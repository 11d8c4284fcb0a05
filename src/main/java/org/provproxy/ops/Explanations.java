package org.provproxy.ops;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCall;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.FailurePolicy;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Shaped;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.shaping.XmlTrees;
import org.provproxy.walk.Walk;
import org.springframework.stereotype.Component;

/**
 * {@code /provisioning/explain}: how a sign-in is walked, for operators. Each XSI and DMS call (URL without
 * credentials, status, duration, whether it shared another request's answer), the access devices seen and why one
 * was chosen or passed over, which stylesheet (default or override) shaped the answer, and the outcome. Never a
 * password, a token, a document or a value of the account: only the names of its keys.
 */
@Component("explanations")
public class Explanations {

    private final OperatorCredential operator;
    private final Stylesheets stylesheets;
    private final ObjectMapper json = new ObjectMapper();

    /** Enabled without a credential does not start: ProvisioningPropertiesValidator refuses it. */
    public Explanations(OperatorCredential operator, Stylesheets stylesheets) {
        this.operator = operator;
        this.stylesheets = stylesheets;
    }

    /** The operator credential (HTTP Basic, {@link OperatorCredential}); the explanation to fill. */
    public Explanation authorize(@Header("Authorization") String authorization) {
        if (!operator.matches(authorization)) {
            throw new ProvisioningFailure(FailureKind.OPERATOR_UNAUTHORIZED, "explain without operator credential");
        }
        return new Explanation();
    }

    /** After an XSI or DMS answer: notes the call, when a request is being explained. */
    public void backendAnswer(@Variable("explanation") Explanation explanation, @Variable("backendCall") BackendCall call,
                              @Variable("backendAnswer") BackendAnswer answer) {
        if (explanation == null) {
            return;
        }
        Map<String, Object> noted = new LinkedHashMap<>();
        noted.put("backend", call.backend().name());
        noted.put("url", withoutUserInfo(call.url()));
        noted.put("status", answer.status());
        noted.put("millis", answer.millis());
        noted.put("sharedOrCached", answer.shared());
        explanation.calls.add(noted);
    }

    /** The report, as JSON: the request, the calls, the devices, the stylesheets, and the outcome. */
    public String report(@Variable("shaped") Shaped account, @Variable("signIn") SignIn signIn,
                         @Variable("explanation") Explanation explanation, @Variable("walk") Walk walk,
                         @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) throws JsonProcessingException {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tenant", signIn.tenant().key());
        request.put("userId", signIn.userId());
        request.put("platform", signIn.platform());
        request.put("deviceType", signIn.device().deviceType());
        report.put("request", request);
        report.put("calls", List.copyOf(explanation.calls));
        report.put("devices", walk != null ? walk.verdicts() : List.of());
        Map<String, String> used = new TreeMap<>();
        for (String name : List.of("choose-device.xsl", "account.xsl")) {
            String file = stylesheets.resolve(signIn.tenant().key(), name);
            used.put(name, "xslt/" + file + (file.startsWith("tenants/") ? " (tenant override)" : " (default)"));
        }
        report.put("stylesheets", used);
        Map<String, Object> outcome = new LinkedHashMap<>();
        if (failure != null) {
            FailureKind kind = FailurePolicy.classify(failure);
            outcome.put("status", kind.status());
            outcome.put("failure", kind.code());
            outcome.put("detail", failure instanceof ProvisioningFailure ? failure.getMessage() : failure.getClass().getSimpleName());
        } else {
            outcome.put("status", 200);
            outcome.put("accountKeys", accountKeys(account));
        }
        report.put("outcome", outcome);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    }

    /** What one explain request noted, filled from the walk's parallel branches. Variable {@code explanation}. */
    public static final class Explanation {
        final List<Map<String, Object>> calls = Collections.synchronizedList(new ArrayList<>());
    }

    /** The names of the account's keys (children of the root), empty ones too: the app receives them as well. */
    private static List<String> accountKeys(Shaped account) {
        List<String> keys = new ArrayList<>();
        XdmNode root = account == null ? null : XmlTrees.rootElement(account.document());
        if (root != null) {
            for (XdmNode child : XmlTrees.elements(root)) {
                keys.add(child.getNodeName().getLocalName());
            }
        }
        return keys;
    }

    private static String withoutUserInfo(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "");
        } catch (IllegalArgumentException e) {
            return "(unparsable URL)";
        }
    }
}
