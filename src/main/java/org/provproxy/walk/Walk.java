package org.provproxy.walk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import net.sf.saxon.s9api.XdmNode;

/**
 * What one walk gathered, filled by its parallel branches: the backend documents by part ({@code devices},
 * {@code device-file}, {@code profile}, {@code blf}, ...), the device chosen and the verdicts on every device,
 * and the first failure. Made at the start of a walk and held as variable {@code walk}; the branches of a
 * multicast share this one object (variables are copied by reference), so each writes its own part here.
 */
public final class Walk {

    private final Map<String, XdmNode> parts = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile ChosenDevice device;
    private volatile String deviceName;
    private volatile List<Map<String, String>> verdicts = List.of();

    /** Keeps a backend document; null (a service not assigned) leaves the part out. */
    public void keep(String part, XdmNode document) {
        if (document != null) {
            parts.put(part, document);
        }
    }

    public Optional<XdmNode> part(String part) {
        return Optional.ofNullable(parts.get(part));
    }

    /** Every document kept, by part: what the walk document is built from (and what identifies its version). */
    public Map<String, XdmNode> parts() {
        return Map.copyOf(parts);
    }

    /** The device whose file is downloaded, once chosen; null before or when none could be. */
    public ChosenDevice device() {
        return device;
    }

    /** The name of the device the walk chose or found wanting (for messages and logs), or null. */
    public String deviceName() {
        return deviceName;
    }

    /** Every access device the choice considered, with its verdict (for /provisioning/explain). */
    public List<Map<String, String>> verdicts() {
        return verdicts;
    }

    /** Nothing more to do when a branch failed: its failure (the first) is the request's. */
    public void requireSucceeded() throws Exception {
        Throwable first = failure.get();
        if (first instanceof Exception e) {
            throw e;
        } else if (first != null) {
            throw new IllegalStateException("walk failed", first);
        }
    }

    void considered(String name, List<Map<String, String>> verdicts) {
        this.deviceName = name;
        this.verdicts = List.copyOf(verdicts);
    }

    void chose(ChosenDevice device) {
        this.device = device;
    }

    /** A branch failed; the first failure in branch order is the one answered. */
    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }
}
