package org.provproxy.ops;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHeaders;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendHttp;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether each tenant's XSI answered recently, for readiness (health contributor {@code xsi}): every
 * {@code provisioning.health.xsi-probe-interval} each tenant's XSI is asked {@code GET <xsi-url>/v2.0/versions}
 * (the XSI-Actions version command: cheap, no user, no credentials sent), bounded by
 * {@code provisioning.health.xsi-probe-timeout}. Any HTTP answer below 500 (401 and 404 too) shows XSI is up; no
 * connection, no answer in time or a 5xx is down, and so is a tenant whose last answer is older than two intervals
 * and a timeout (the probe itself stalled).
 *
 * <p>A tenant that is down makes this WARNING (200), never DOWN: every replica sees the same XSI, so taking
 * replicas out would leave the balancer none, while a running proxy still answers 503 + Retry-After itself (and
 * the last good accounts). Probes start once the application is ready (the demo tenant's XSI is this server).
 */
@Component("xsi")
public class XsiProbe implements HealthIndicator, DisposableBean {

    /** The XSI-Actions version command, relative to a tenant's xsi-url (Xsi-Actions 3.4.9.1). */
    static final String VERSIONS = "/v2.0/versions";
    /**
     * A tenant's XSI is not answering: the replica still serves (200, see application.yaml), with less. No
     * description: the aggregate status carries it, and anonymous callers get the status alone.
     */
    public static final Status WARNING = new Status("WARNING");
    private static final Logger LOG = LoggerFactory.getLogger(XsiProbe.class);

    private final Tenants tenants;
    private final BackendHttp backendHttp;
    private final Duration interval;
    private final Duration timeout;
    private final Map<String, Reachability> reachability = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService schedule;
    private volatile CloseableHttpAsyncClient client;

    public XsiProbe(ProvisioningProperties properties, Tenants tenants, BackendHttp backendHttp) {
        this.tenants = tenants;
        this.backendHttp = backendHttp;
        this.interval = properties.getHealth().getXsiProbeInterval();
        this.timeout = properties.getHealth().getXsiProbeTimeout();
        // one thread only starts the probes; their answers arrive on the backend client's threads
        this.schedule = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "xsi-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts probing, now and every interval: only once the server listens (the demo's XSI is this server). */
    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (interval.isZero()) {
            return;
        }
        // a pool of its own, small and without redirects (an answer is all that counts)
        client = backendHttp.client(builder -> builder.disableRedirectHandling());
        schedule.scheduleWithFixedDelay(() -> {
            try {
                probeAll();
            } catch (RuntimeException e) {
                // a task that throws is never run again: the probe must outlive any one round
                LOG.warn("XSI probe round failed: {}", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        schedule.shutdownNow();
    }

    void probeAll() {
        for (String tenant : tenants.all()) {
            String xsiUrl = tenants.settings(tenant).xsiUrl();
            // a probe still running (it ends by its timeout) is not doubled
            if (!xsiUrl.isEmpty() && inFlight.add(tenant)) {
                try {
                    probe(tenant, xsiUrl);
                } catch (RuntimeException e) {
                    inFlight.remove(tenant);
                    record(tenant, Reachability.failed(previous(tenant), describe(e)));
                }
            }
        }
    }

    private void probe(String tenant, String xsiUrl) {
        SimpleRequestBuilder request = SimpleRequestBuilder.get(URI.create(xsiUrl + VERSIONS))
                .addHeader(HttpHeaders.ACCEPT, "application/xml");
        long deadline = System.nanoTime() + timeout.toNanos();
        backendHttp.execute(client, SimpleRequestProducer.create(request.build()), HttpClientContext.create(), deadline)
                .whenComplete((answer, failure) -> {
                    inFlight.remove(tenant);
                    record(tenant, failure == null ? Reachability.answered(previous(tenant), answer)
                            : Reachability.failed(previous(tenant), describe(failure)));
                });
    }

    private Reachability previous(String tenant) {
        return reachability.get(tenant);
    }

    private void record(String tenant, Reachability now) {
        Reachability before = reachability.put(tenant, now);
        boolean wasUp = before == null || before.answered();
        if (wasUp && !now.answered()) {
            LOG.warn("XSI of tenant {} is not answering: {} (readiness shows WARNING until it answers)", tenant, now.last());
        } else if (!wasUp && now.answered()) {
            LOG.info("XSI of tenant {} answers again ({})", tenant, now.last());
        }
    }

    /** What went wrong, short and without a stack trace (the URL holds no credentials: XSI gets none). */
    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof BackendHttp.DeadlinePassed) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        String text = cause.getClass().getSimpleName() + message;
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    @Override
    public Health health() {
        if (interval.isZero()) {
            return Health.up().withDetail("probe", "off").build();
        }
        Instant now = Instant.now();
        // "recently": the last answer within two intervals and a timeout, so one slow round does not count
        Instant recent = now.minus(interval.multipliedBy(2).plus(timeout));
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allUp = true;
        for (String tenant : tenants.all()) {
            Reachability known = reachability.get(tenant);
            String status;
            if (known == null) {
                // not probed yet (just started): unknown, not held against the replica
                status = Status.UNKNOWN.getCode();
            } else if (known.answered() && known.lastAnsweredAt().isAfter(recent)) {
                status = Status.UP.getCode();
            } else {
                status = Status.DOWN.getCode();
                allUp = false;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", status);
            if (known != null) {
                detail.put("lastProbedAt", known.lastProbedAt().toString());
                if (known.lastAnsweredAt() != null) {
                    detail.put("lastAnsweredAt", known.lastAnsweredAt().toString());
                }
                detail.put("last", known.last());
            }
            details.put(tenant, detail);
        }
        return Health.status(allUp ? Status.UP : WARNING).withDetails(details).build();
    }

    /**
     * One tenant's last probe.
     *
     * @param answered       whether XSI answered it (below 500)
     * @param lastAnsweredAt when XSI last answered, of this probe or an earlier one; null: never
     * @param last           what the last probe got: "HTTP 404", or why there was no answer
     */
    record Reachability(boolean answered, Instant lastProbedAt, Instant lastAnsweredAt, String last) {

        static Reachability answered(Reachability previous, BackendAnswer answer) {
            Instant now = Instant.now();
            String last = "HTTP " + answer.status();
            return answer.status() < 500 ? new Reachability(true, now, now, last)
                    : new Reachability(false, now, previous == null ? null : previous.lastAnsweredAt(), last);
        }

        static Reachability failed(Reachability previous, String why) {
            return new Reachability(false, Instant.now(), previous == null ? null : previous.lastAnsweredAt(), why);
        }
    }
}
