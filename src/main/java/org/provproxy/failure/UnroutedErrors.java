package org.provproxy.failure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.provproxy.request.ProvisioningRequestReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page of everything that reaches no route: an unknown path (404), a method an endpoint does not take
 * (405; Spring has set Allow), a body that is not a form or is too large (415, 413: request/FormBodyFilter), or a
 * route's consumer that failed outside the route. Replaces Spring Boot's JSON error page, which the app would show
 * raw: the answer is the routes' own {@code <error><message>} ({@link ErrorAnswers#unrouted}), in the language of
 * {@code locale} or Accept-Language, with the request id.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class UnroutedErrors implements ErrorController {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");

    private final ErrorAnswers answers;

    UnroutedErrors(ErrorAnswers answers) {
        this.answers = answers;
    }

    @RequestMapping
    ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
        Integer code = (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // called directly, /error is no endpoint either
        int status = code == null || code < 400 ? 404 : code;
        String requestId = ProvisioningRequestReader.requestId(request.getHeader("X-Request-Id"));
        Locale locale = ProvisioningRequestReader.locale(localeParameter(request, status),
                request.getHeader("Accept-Language"));
        ErrorAnswers.Unrouted answer = answers.unrouted(status, locale, requestId);
        MDC.put(ProvisioningRequestReader.REQUEST_ID_MDC, requestId);
        try {
            LOG.info("request refused: {} status={} {} {}", answer.kind().code(), status, request.getMethod(),
                    shown((String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
        } finally {
            MDC.remove(ProvisioningRequestReader.REQUEST_ID_MDC);
        }
        HttpHeaders headers = new HttpHeaders();
        answer.headers().forEach(headers::set);
        String allow = response.getHeader(HttpHeaders.ALLOW);
        if (allow != null) {
            // Spring lists the methods in no fixed order; the same answer every time reads (and tests) better
            response.setHeader(HttpHeaders.ALLOW, Arrays.stream(allow.split(",")).map(String::trim)
                    .filter(method -> !method.isEmpty()).distinct().sorted().collect(Collectors.joining(", ")));
        }
        return new ResponseEntity<>(answer.body(), headers, status);
    }

    /**
     * The app's {@code locale}, from the query or its form. Not from the body of a request refused as too large:
     * that body is not read at all.
     */
    private static String localeParameter(HttpServletRequest request, int status) {
        try {
            if (status != 413) {
                return request.getParameter("locale");
            }
            // the error page is reached by a forward: the app's query is the forwarded one
            String query = (String) request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING);
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("locale=")) {
                    return URLDecoder.decode(pair.substring("locale=".length()), StandardCharsets.UTF_8);
                }
            }
        } catch (RuntimeException unreadable) {
            // parameters that cannot be parsed are no reason to fail the error answer: the header decides
        }
        return null;
    }

    /** A path for the log: the caller's text, cut short and without characters that could forge a log line. */
    private static String shown(String path) {
        if (path == null) {
            return "-";
        }
        String safe = path.replaceAll("[^\\x21-\\x7e]", "?");
        return safe.length() > 200 ? safe.substring(0, 200) + "..." : safe;
    }
}
