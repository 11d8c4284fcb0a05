package org.provproxy.ops;

import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.ErrorAnswers;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.walk.WalkAggregationStrategy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code /provisioning/explain}: how a sign-in is walked, for operators. Each XSI and DMS call (URL without
 * credentials, status, duration, whether it shared another request's answer), the access devices seen and why one
 * was chosen or passed over, which stylesheet (default or override) shaped the answer, and the outcome. Never a
 * password, a token, a document or a value of the account: only the names of its keys.
 */
@Component("explanations")
public class Explanations {

    private final ProvisioningProperties properties;
    private final ObjectMapper json = new ObjectMapper();

    /** Enabled without a credential does not start: ProvisioningPropertiesValidator refuses it. */
    public Explanations(ProvisioningProperties properties) {
        this.properties = properties;
    }

    /** The operator credential (HTTP Basic), compared in constant time. */
    public void authorize(Exchange exchange) {
        ProvisioningProperties.Explain explain = properties.getExplain();
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (explain.getUser() + ":" + explain.getPassword()).getBytes(StandardCharsets.UTF_8));
        String given = exchange.getMessage().getHeader("Authorization", "", String.class);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new ProvisioningFailure(FailureKind.OPERATOR_UNAUTHORIZED, "explain without operator credential");
        }
        exchange.setProperty("explanation", Collections.synchronizedList(new ArrayList<Map<String, Object>>()));
    }

    /** After an XSI or DMS answer: notes the call. */
    public void backendAnswer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> calls = exchange.getProperty("explanation", List.class);
        if (calls == null) {
            return;
        }
        String key = exchange.getProperty("backendKey", "", String.class);
        String url = key.startsWith("dms|") ? exchange.getProperty("deviceFileUrl", String.class)
                : exchange.getProperty("xsiUserUrl", String.class) + "/" + exchange.getProperty("xsiResource", String.class);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("backend", key.startsWith("dms|") ? "DMS" : "XSI");
        call.put("url", withoutUserInfo(url));
        call.put("status", exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        call.put("millis", exchange.getProperty("backendMillis"));
        call.put("sharedOrCached", exchange.getProperty("backendShared"));
        calls.add(call);
    }

    /** The report, as JSON; {@code failure} is the classified failure of the walk, or null. */
    public String report(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tenant", exchange.getProperty("tenant"));
        request.put("userId", exchange.getProperty("userId"));
        request.put("platform", exchange.getProperty("platform"));
        request.put("deviceType", exchange.getProperty("deviceType"));
        report.put("request", request);
        report.put("calls", exchange.getProperty("explanation"));
        report.put("devices", exchange.getProperty(WalkAggregationStrategy.PREFIX + "device-verdicts", List.of(), List.class));
        Map<String, String> stylesheets = new TreeMap<>();
        exchange.getProperties().forEach((name, value) -> {
            if (name.startsWith("stylesheet.")) {
                String file = String.valueOf(value);
                stylesheets.put(name.substring("stylesheet.".length()),
                        "xslt/" + file + (file.startsWith("tenants/") ? " (tenant override)" : " (default)"));
            }
        });
        report.put("stylesheets", stylesheets);
        Map<String, Object> outcome = new LinkedHashMap<>();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            FailureKind kind = ErrorAnswers.classify(failure);
            outcome.put("status", kind.status());
            outcome.put("failure", kind.code());
            outcome.put("detail", failure instanceof ProvisioningFailure ? failure.getMessage() : failure.getClass().getSimpleName());
        } else {
            outcome.put("status", 200);
            outcome.put("accountKeys", accountKeys(exchange.getMessage().getBody(String.class)));
        }
        report.put("outcome", outcome);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    }

    private static List<String> accountKeys(String account) {
        List<String> keys = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<([A-Za-z][\\w.-]*)>").matcher(account == null ? "" : account);
        while (m.find()) {
            if (!m.group(1).equals("account")) {
                keys.add(m.group(1));
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
