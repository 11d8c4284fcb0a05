package org.provproxy.observe;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCall;
import org.provproxy.failure.Failure;
import org.provproxy.failure.FailurePolicy;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/**
 * Starts and finishes each request's {@link RequestObservation} (routes/config/observers.yaml: as the endpoint
 * route takes the request, and once its answer is sent) and turns it into metrics:
 * <ul>
 *   <li>{@code provisioning_requests_seconds} (endpoint, tenant, status, outcome): a timer with its histogram;</li>
 *   <li>{@code provisioning_backend_calls_seconds} (tenant, backend, resource, status, cached): each XSI or DMS
 *       call, recorded by {@link org.provproxy.backend.BackendCache} as it completes;</li>
 *   <li>{@code provisioning_requests_in_flight} (endpoint): requests taken and not yet answered.</li>
 * </ul>
 * Label values are bounded: route ids, configured tenant keys (else {@code unknown}), statuses, failure codes and
 * resource templates. Meters are looked up once per label combination, not built per request.
 */
@Component("requestObservations")
public class RequestObservations {

    /** The variable holding the request's observation. */
    static final String VARIABLE = "observation";
    /** XSI collections whose members are addressed by an id from the request: never a label value. */
    private static final Set<String> ADDRESSED_BY_ID = Set.of("VoiceMessagingMessages", "Location");
    /** A plain XSI name: letters, then digits (SpeedDial100); anything else in a resource is an id. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z]+[0-9]*");

    private final MeterRegistry registry;
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<CallKey, Timer> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public RequestObservations(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request taken by an endpoint route: its observation starts (variable {@code observation}). */
    public RequestObservation start(Exchange exchange) {
        String endpoint = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : "unknown";
        inFlight(endpoint).incrementAndGet();
        return new RequestObservation(endpoint, System.nanoTime());
    }

    /** The request's answer is sent: its status is final; records the request and its backend calls. */
    public void finish(Exchange exchange) {
        RequestObservation observation = exchange.getVariable(VARIABLE, RequestObservation.class);
        if (observation == null || !observation.finish()) {
            return;
        }
        long nanos = System.nanoTime() - observation.startNanos();
        inFlight(observation.endpoint()).decrementAndGet();
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int status = code != null ? code : 200;
        Failure failure = exchange.getVariable("failure", Failure.class);
        String tenant = RequestObservation.tenant(exchange.getVariable("signIn", SignIn.class), failure);
        RequestKey request = new RequestKey(observation.endpoint(), tenant, status,
                observation.outcome(status, failure));
        requests.computeIfAbsent(request, this::requestTimer).record(nanos, TimeUnit.NANOSECONDS);
        for (BackendCallRecord call : observation.backendCalls()) {
            calls.computeIfAbsent(new CallKey(tenant, call.backend(), call.resource(), call.status(), call.cached()),
                    this::callTimer).record(call.millis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One XSI or DMS call of the request on {@code exchange} completed (BackendCache.fetch): with its answer, or
     * with {@code failure} when there is none. Nothing when the request is not observed.
     */
    public static void backendCall(Exchange exchange, BackendCall call, BackendAnswer answer, Throwable failure,
                                   long startNanos) {
        RequestObservation observation = exchange.getVariable(VARIABLE, RequestObservation.class);
        if (observation == null) {
            return;
        }
        String status = answer != null ? String.valueOf(answer.status()) : FailurePolicy.classify(failure).code();
        long millis = answer != null ? answer.millis() : (System.nanoTime() - startNanos) / 1_000_000;
        observation.backendCall(new BackendCallRecord(call.backend() == BackendCall.Backend.DMS ? "dms" : "xsi",
                resource(call), status, millis, answer != null && answer.shared()));
    }

    /**
     * The call's resource as a bounded name: {@code dms} for a device file (its URL names the user), else the XSI
     * resource below the user with each id the request chose replaced by {id} (a voice message, a location).
     */
    static String resource(BackendCall call) {
        if (call.backend() == BackendCall.Backend.DMS || call.resource() == null) {
            return "dms";
        }
        String[] segments = call.resource().split("/");
        StringBuilder template = new StringBuilder();
        boolean id = false;
        for (String segment : segments) {
            if (!template.isEmpty()) {
                template.append('/');
            }
            template.append(id || !NAME.matcher(segment).matches() ? "{id}" : segment);
            id = ADDRESSED_BY_ID.contains(segment);
        }
        return template.toString();
    }

    private AtomicInteger inFlight(String endpoint) {
        return inFlight.computeIfAbsent(endpoint, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("provisioning.requests.in.flight", count, AtomicInteger::get)
                    .description("Requests taken by an endpoint and not yet answered")
                    .tag("endpoint", name).strongReference(true).register(registry);
            return count;
        });
    }

    private Timer requestTimer(RequestKey key) {
        return Timer.builder("provisioning.requests")
                .description("Requests answered, by endpoint, tenant, status and outcome")
                .tags("endpoint", key.endpoint(), "tenant", key.tenant(), "status", String.valueOf(key.status()),
                        "outcome", key.outcome().label())
                .register(registry);
    }

    private Timer callTimer(CallKey key) {
        return Timer.builder("provisioning.backend.calls")
                .description("XSI and DMS calls of requests, by tenant, backend, resource, status and cache use")
                .tags("tenant", key.tenant(), "backend", key.backend(), "resource", key.resource(),
                        "status", key.status(), "cached", String.valueOf(key.cached()))
                .register(registry);
    }

    private record RequestKey(String endpoint, String tenant, int status, RequestObservation.Outcome outcome) {
    }

    private record CallKey(String tenant, String backend, String resource, String status, boolean cached) {
    }
}
