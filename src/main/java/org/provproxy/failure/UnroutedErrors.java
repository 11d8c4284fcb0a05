package org.provproxy.failure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.ProvisioningRequestReader;
import org.provproxy.request.RequestParameters;
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
    private final ProvisioningProperties properties;

    UnroutedErrors(ErrorAnswers answers, ProvisioningProperties properties) {
        this.answers = answers;
        this.properties = properties;
    }

    @RequestMapping
    ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
        Integer code = (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // called directly, /error is no endpoint either
        int status = code == null || code < 400 ? 404 : code;
        String requestId = ProvisioningRequestReader.requestId(request.getHeader("X-Request-Id"));
        Locale locale = ProvisioningRequestReader.locale(localeParameter(request),
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
     * The app's {@code locale}, from the query or its form (as the routes read it, {@link RequestParameters}). Not
     * from the body of a request refused as too large or not a form: that body is not read at all.
     */
    private String localeParameter(HttpServletRequest request) {
        return RequestParameters.of(request, properties.getMaxParameterSize().toBytes()).lenient("locale");
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
