package org.provproxy.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Where one sign-in's time goes between the client and the stand-in, in the same JVM (one clock): the client's
 * send and receive, each backend call's arrival and answer. With one client at D &gt; 0 it splits the overhead above
 * 2&middot;D into the proxy's start (send to its first call), its step between the devices' answer and the DMS call,
 * its finish (the last answer to the client's receipt) and the stand-in's own lateness on the two calls in series.
 * Off unless {@link #on}: it keeps a record per request.
 */
final class CriticalPath {

    private final Map<String, Times> users = new ConcurrentHashMap<>();
    private volatile boolean on;

    void on(boolean on) {
        this.on = on;
        users.clear();
    }

    /** The client sends a sign-in for {@code user}. */
    void sent(String user, long nanos) {
        if (on && user != null) {
            times(user).sent = nanos;
        }
    }

    void received(String user, long nanos) {
        if (on && user != null) {
            times(user).received = nanos;
        }
    }

    /** A backend call of {@code user}'s ({@code dms 200}, {@code xsi Device}, ...) arrived at the stand-in. */
    void arrived(String user, String resource, long nanos) {
        if (on && user != null) {
            Times times = times(user);
            synchronized (times) {
                times.firstArrival = times.firstArrival == 0 ? nanos : Math.min(times.firstArrival, nanos);
                if (resource.equals("xsi Device")) {
                    times.devicesIn = nanos;
                } else if (resource.equals("dms 200")) {
                    times.dmsIn = nanos;
                } else if (resource.startsWith("dms 401")) {
                    times.dmsChallenged = true;
                }
            }
        }
    }

    void answered(String user, String resource, long nanos) {
        if (on && user != null) {
            Times times = times(user);
            synchronized (times) {
                times.lastAnswer = Math.max(times.lastAnswer, nanos);
                if (resource.equals("xsi Device")) {
                    times.devicesOut = nanos;
                } else if (resource.equals("dms 200")) {
                    times.dmsOut = nanos;
                }
            }
        }
    }

    /** The user a sign-in names in its query ({@code username=}), or null. */
    static String userOfQuery(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("username=")) {
                return URLDecoder.decode(pair.substring("username=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * The medians, in ms, of the complete sign-ins (no Digest challenge on the way), with {@code delayMs} the
     * stand-in's delay; or why there are none.
     */
    String summary(long delayMs) {
        List<Times> complete = users.values().stream().filter(Times::complete).toList();
        if (complete.isEmpty()) {
            return "critical path: no complete sign-in traced";
        }
        long d = delayMs * 1_000_000;
        return String.format(Locale.ROOT, "critical path at D=%d, medians of %d sign-ins (ms): client send -> first "
                        + "backend call %.2f; devices answer late %.2f; devices answer -> DMS call %.2f; DMS answer "
                        + "late %.2f; last answer -> client received %.2f; total above 2*D %.2f",
                delayMs, complete.size(),
                median(complete, t -> t.firstArrival - t.sent),
                median(complete, t -> t.devicesOut - t.devicesIn - d),
                median(complete, t -> t.dmsIn - t.devicesOut),
                median(complete, t -> t.dmsOut - t.dmsIn - d),
                median(complete, t -> t.received - t.lastAnswer),
                median(complete, t -> t.received - t.sent - 2 * d));
    }

    private static double median(List<Times> all, ToLongFunction<Times> span) {
        List<Long> values = new ArrayList<>(all.stream().map(span::applyAsLong).toList());
        Collections.sort(values);
        return values.get(values.size() / 2) / 1e6;
    }

    /** The stand-in's DMS folder and the XSI user of one sign-in have the same key. */
    static String key(String user) {
        return user.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private Times times(String user) {
        return users.computeIfAbsent(key(user), u -> new Times());
    }

    private static final class Times {
        volatile long sent;
        volatile long received;
        long firstArrival;
        long devicesIn;
        long devicesOut;
        long dmsIn;
        long dmsOut;
        long lastAnswer;
        boolean dmsChallenged;

        synchronized boolean complete() {
            return sent != 0 && received != 0 && devicesIn != 0 && devicesOut != 0 && dmsIn != 0 && dmsOut != 0
                    && !dmsChallenged;
        }
    }
}
