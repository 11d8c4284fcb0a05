package org.provproxy.request;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/**
 * The app's parameters, from the two places the app puts them and from no other: the query string and the web form
 * body ({@link FormBodyFilter} keeps it as a request attribute). Never request headers, which platform-http puts into
 * the same message headers as the parameters, nor Camel's form parsing, which joins repeated parameters with a comma
 * and fails on a form it cannot split.
 * <p>
 * Strict reads ({@link #value}) refuse the whole request when any parameter is given twice (also a query parameter
 * repeated in the form), holds a control character, or is longer than {@code provisioning.max-parameter-size}; a
 * lenient read ({@link #lenient}: the language of an error answer) takes a clean value and ignores the rest.
 */
public final class RequestParameters {

    private static final String PARSED = RequestParameters.class.getName() + ".parsed";
    private static final RequestParameters NONE = new RequestParameters(Map.of(), null, Long.MAX_VALUE);

    private final Map<String, List<String>> values;
    private final ProvisioningFailure problem;
    private final long maxValueBytes;

    private RequestParameters(Map<String, List<String>> values, ProvisioningFailure problem, long maxValueBytes) {
        this.values = values;
        this.problem = problem;
        this.maxValueBytes = maxValueBytes;
    }

    /** The parameters of {@code request} (parsed once per request); none when there is no request. */
    public static RequestParameters of(HttpServletRequest request, long maxValueBytes) {
        if (request == null) {
            return NONE;
        }
        if (request.getAttribute(PARSED) instanceof RequestParameters parsed) {
            return parsed;
        }
        // an error page is reached by a forward: the app's query is the forwarded one
        Object forwarded = request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING);
        String query = forwarded instanceof String q ? q : request.getQueryString();
        byte[] form = request.getAttribute(FormBodyFilter.FORM) instanceof byte[] body ? body : new byte[0];
        RequestParameters parsed = parse(query, form, charset(request.getCharacterEncoding()), maxValueBytes);
        request.setAttribute(PARSED, parsed);
        return parsed;
    }

    /** Parses a raw query string and a raw form body ({@code name=value&...}, percent-encoded). */
    static RequestParameters parse(String query, byte[] form, Charset formCharset, long maxValueBytes) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        ProvisioningFailure problem = add(values, query == null ? "" : query, StandardCharsets.UTF_8, null);
        problem = add(values, new String(form, formCharset), formCharset, problem);
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            if (problem != null) {
                break;
            }
            problem = problem(entry.getKey(), entry.getValue(), maxValueBytes);
        }
        return new RequestParameters(Collections.unmodifiableMap(values), problem, maxValueBytes);
    }

    /**
     * The one value of the parameter known by any of {@code names} (aliases), or null when absent. Throws if the
     * request holds a parameter that is not clean, or this one under more than one of its names.
     */
    public String value(String... names) {
        check();
        String found = null;
        String foundName = null;
        for (String name : names) {
            List<String> given = values.get(name);
            if (given != null) {
                if (found != null) {
                    throw new ProvisioningFailure(FailureKind.BAD_PARAMETER,
                            "parameter given as '" + foundName + "' and as '" + name + "'");
                }
                found = given.get(0);
                foundName = name;
            }
        }
        return found;
    }

    /** Refuses a request holding a parameter that is given twice, has a control character or is too long. */
    public void check() {
        if (problem != null) {
            throw problem;
        }
    }

    /**
     * Every parameter with its one value, in the order given (query first, then form), for an endpoint whose
     * parameters are open-ended (a call feature's fields). Throws as {@link #value} when any is not clean.
     */
    public Map<String, String> all() {
        check();
        Map<String, String> all = new LinkedHashMap<>();
        values.forEach((name, given) -> all.put(name, given.get(0)));
        return all;
    }

    /** The first value of {@code name} if it is clean, else null; never throws (for the answer's language). */
    public String lenient(String name) {
        List<String> given = values.getOrDefault(name, List.of());
        return given.isEmpty() || problem(name, given.subList(0, 1), maxValueBytes) != null ? null : given.get(0);
    }

    private static ProvisioningFailure add(Map<String, List<String>> values, String text, Charset charset,
                                           ProvisioningFailure problem) {
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            // a name without '=' is a parameter with an empty value, as servlet containers read it
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                values.computeIfAbsent(URLDecoder.decode(name, charset), n -> new ArrayList<>(1))
                        .add(URLDecoder.decode(value, charset));
            } catch (IllegalArgumentException malformed) {
                if (problem == null) {
                    problem = new ProvisioningFailure(FailureKind.BAD_PARAMETER, "a malformed %-escape");
                }
            }
        }
        return problem;
    }

    private static ProvisioningFailure problem(String name, List<String> given, long maxValueBytes) {
        // the name is the caller's text: logged only when it is short and plain
        String shown = name.matches("[A-Za-z0-9_.-]{1,40}") ? "'" + name + "'" : "(a parameter)";
        if (given.size() > 1) {
            return new ProvisioningFailure(FailureKind.BAD_PARAMETER, "parameter " + shown + " given "
                    + given.size() + " times");
        }
        for (String value : given) {
            // a cheap bound first: no UTF-8 encoding takes more than 3 bytes per char of a String
            if (value.length() > maxValueBytes
                    || (long) value.length() * 3 > maxValueBytes
                    && value.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
                return new ProvisioningFailure(FailureKind.PARAMETER_TOO_LARGE, "parameter " + shown
                        + " longer than provisioning.max-parameter-size (" + maxValueBytes + " bytes)");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                return new ProvisioningFailure(FailureKind.BAD_PARAMETER, "parameter " + shown
                        + " holds a control character");
            }
        }
        return null;
    }

    private static Charset charset(String encoding) {
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return StandardCharsets.UTF_8;
        }
    }
}
