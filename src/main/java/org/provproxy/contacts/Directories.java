package org.provproxy.contacts;

import static org.provproxy.sharing.SharedRegion.Codec.readBytes;
import static org.provproxy.sharing.SharedRegion.Codec.writeBytes;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.apache.camel.support.service.ServiceHelper;
import org.provproxy.account.AccountVersion;
import org.provproxy.account.AccountVersions;
import org.provproxy.account.ContentVersions;
import org.provproxy.backend.BackendWorkers;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.TenantSettings;
import org.provproxy.config.TenantSettings.DirectorySettings;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.FailurePolicy;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Shaping;
import org.provproxy.shaping.XmlTrees;
import org.provproxy.sharing.SharedCache;
import org.provproxy.sharing.SharedRegion;
import org.provproxy.walk.Walk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The directories the contacts web service answers from, one per enterprise (or group), shared by all its users:
 * held for the tenant's {@code directory.cache-ttl}, walked by one request while the others wait for that walk
 * (single flight) or, once a directory was read, get the one read before (a re-walk stalls nobody but the request
 * walking), and, while XSI fails transiently, served as last read for the tenant's stale-if-error. The
 * subscriber's own profile says which directory is theirs ({@link #scope}); a subscriber never reaches another
 * enterprise's entry, since the key is made from their profile only.
 * <p>
 * With {@code provisioning.shared-cache} on, the directories and the last ones read are shared by the replicas:
 * one replica walks an enterprise's directory for all of them per TTL, and every replica serves the same bytes
 * with the same ETag and Last-Modified (and, while XSI fails, the last one any of them read).
 * <p>
 * Nothing blocks: a walk runs the exchange through {@code direct:walk-directory} by its {@link AsyncProducer}, and
 * {@link #fetch} answers a future the route's bean step waits for without holding a thread.
 */
@Component("directories")
public class Directories implements DisposableBean {

    private static final String WALK_ROUTE = "direct:walk-directory";
    private static final String DIRECTORY = "directory";
    private static final Logger LOG = LoggerFactory.getLogger(Directories.class);

    private final CamelContext camel;
    private final Shaping shaping;
    private final AsyncCache<String, Outcome> current;
    /** Hits (kept, or being walked for another request) and misses, for the cache's metrics. */
    private final StatsCounter lookups = new ConcurrentStatsCounter();
    /** The last directory read per key, for stale-if-error. */
    private final Cache<String, Stale> lastGood;
    /** Per key, the checksum last served and since when: Last-Modified survives a walk that changed nothing. */
    private final ContentVersions<String> versions;
    private volatile AsyncProducer producer;
    /** The directories of every replica, and the last ones read, or null: this replica's alone. */
    private final SharedRegion<Directory> sharedCurrent;
    private final SharedRegion<Directory> sharedLastGood;
    private final BackendWorkers workers;
    /** A walk's budget: a request's (it holds the claim across replicas this long at most). */
    private final Duration walkBudget;

    public Directories(CamelContext camel, Shaping shaping, ProvisioningProperties properties,
                       ObjectProvider<SharedCache> sharedCache, BackendWorkers workers) {
        this.camel = camel;
        this.shaping = shaping;
        this.workers = workers;
        this.walkBudget = properties.getRequestDeadline();
        SharedCache shared = sharedCache.getIfAvailable();
        this.sharedCurrent = shared == null ? null : shared.region("directories", new DirectoryCodec());
        this.sharedLastGood = shared == null ? null : shared.region("last-good-directories", new DirectoryCodec());
        long max = Math.max(1000, properties.getCache().getMaxEntries() / 100);
        this.current = Caffeine.newBuilder().maximumSize(max)
                .expireAfter(new EntryLifetime<String, Outcome>(Outcome::ttl))
                // a request joins by a put-if-absent, which Caffeine counts as no lookup: counted by hand in fetch
                .recordStats(() -> lookups).buildAsync();
        this.lastGood = Caffeine.newBuilder().maximumSize(max)
                .expireAfter(new EntryLifetime<String, Stale>(Stale::keep)).build();
        this.versions = new ContentVersions<>(max);
    }

    /** The directories kept, for their metrics (observe/CacheMeters). */
    public AsyncCache<?, ?> cache() {
        return current;
    }

    @Override
    public void destroy() {
        if (producer != null) {
            ServiceHelper.stopAndShutdownService(producer);
        }
    }

    /**
     * The subscriber's directory, from their profile (the walk's part {@code profile}): the enterprise's when the
     * profile's service provider is an enterprise (or the tenant says enterprise), else the group's.
     */
    public DirectoryScope scope(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) {
        TenantSettings tenant = signIn.tenant();
        DirectorySettings settings = tenant.directory();
        XdmNode profile = walk.part("profile").orElseThrow();
        XdmNode provider = XmlTrees.firstDescendant(profile, "serviceProvider");
        XdmNode group = XmlTrees.firstDescendant(profile, "groupId");
        String enterpriseId = provider == null ? "" : provider.getStringValue().trim();
        String groupId = group == null ? "" : group.getStringValue().trim();
        boolean isEnterprise = provider != null && "true".equalsIgnoreCase(
                String.valueOf(provider.getAttributeValue(new net.sf.saxon.s9api.QName("isEnterprise"))).trim());
        DirectoryScope.Kind kind = switch (settings.scope()) {
            case ENTERPRISE -> DirectoryScope.Kind.ENTERPRISE;
            case GROUP -> DirectoryScope.Kind.GROUP;
            case AUTO -> isEnterprise ? DirectoryScope.Kind.ENTERPRISE : DirectoryScope.Kind.GROUP;
        };
        String key;
        if (!enterpriseId.isEmpty() && (kind == DirectoryScope.Kind.ENTERPRISE || !groupId.isEmpty())) {
            key = tenant.key() + "|" + kind.value() + "|" + enterpriseId
                    + (kind == DirectoryScope.Kind.GROUP ? "|" + groupId : "");
        } else {
            // a profile that does not say where the user belongs: theirs alone, never shared
            key = tenant.key() + "|user|" + signIn.userId() + "|" + kind.value();
        }
        return new DirectoryScope(kind, key, enterpriseId, groupId, settings.user(), settings.password(),
                settings.cacheTtl(), tenant.staleIfError(), settings.maxEntries());
    }

    /**
     * The directory of {@code scope}, also left in variable {@code directory}: kept, being walked by another
     * request, or walked now by this one. While XSI fails transiently, the last one read (stale-if-error).
     */
    public CompletableFuture<Directory> fetch(Exchange exchange, @Variable("directoryScope") DirectoryScope scope) {
        return fetch(exchange, scope, false);
    }

    /**
     * As {@link #fetch}, but walked by this request itself, on its own exchange, whatever the shared directories
     * hold: nothing is taken from them, nor put there, nor waited for (the directory it reads is still noted as the
     * last one read, for stale-if-error and Last-Modified, as every walk's). For record mode: a recorded request
     * must see every page of its directory, and a recorded user is one the operator listed.
     */
    public CompletableFuture<Directory> fetchOwn(Exchange exchange,
                                                 @Variable("directoryScope") DirectoryScope scope) {
        return fetch(exchange, scope, true);
    }

    private CompletableFuture<Directory> fetch(Exchange exchange, DirectoryScope scope, boolean own) {
        CompletableFuture<Outcome> outcome;
        Duration ttl = scope.ttl();
        if (own || ttl.isZero() || ttl.isNegative()) {
            outcome = walk(exchange, scope);
        } else {
            CompletableFuture<Outcome> mine = new CompletableFuture<>();
            CompletableFuture<Outcome> shared = current.asMap().putIfAbsent(scope.key(), mine);
            if (shared != null) {
                lookups.recordHits(1);
            } else {
                lookups.recordMisses(1);
            }
            Stale previous = shared != null && !shared.isDone() ? lastGood.getIfPresent(scope.key()) : null;
            if (previous != null) {
                // another request is reading the directory anew: the one read before serves meanwhile, rather than
                // every user of the enterprise waiting for that walk
                exchange.setVariable(DIRECTORY, previous.directory());
                return CompletableFuture.completedFuture(previous.directory());
            } else if (shared != null) {
                outcome = shared;
            } else {
                outcome = mine;
                walkOrShared(exchange, scope).whenComplete((walked, impossible) -> {
                    if (walked.directory() == null) {
                        // forgotten before the waiting requests hear of it: the next one walks anew
                        current.asMap().remove(scope.key(), mine);
                    }
                    mine.complete(walked);
                });
            }
        }
        CompletableFuture<Directory> result = new CompletableFuture<>();
        outcome.whenComplete((done, impossible) -> {
            if (done.directory() != null) {
                exchange.setVariable(DIRECTORY, done.directory());
                result.complete(done.directory());
                return;
            }
            if (!FailurePolicy.isTransient(done.failure())) {
                result.completeExceptionally(done.failure());
                return;
            }
            lastGood(exchange, scope).whenComplete((kept, alsoImpossible) -> {
                Directory stale = kept != null ? kept.servedStale() : null;
                if (stale != null) {
                    LOG.warn("directory {} could not be read ({}): serving the one read at {}", scope.key(),
                            FailurePolicy.classify(done.failure()).code(), stale.lastModified());
                    exchange.setVariable(DIRECTORY, stale);
                    result.complete(stale);
                } else {
                    result.completeExceptionally(done.failure());
                }
            });
        });
        return result;
    }

    /**
     * The directory last read under the scope's key: this replica's, else (cache shared by replicas) the one
     * another replica read; null when none. Never fails.
     */
    private CompletableFuture<Directory> lastGood(Exchange exchange, DirectoryScope scope) {
        Stale kept = lastGood.getIfPresent(scope.key());
        if (kept != null || sharedLastGood == null) {
            return CompletableFuture.completedFuture(kept == null ? null : kept.directory());
        }
        return workers.handOver(sharedLastGood.get(scope.key()), MDC.getCopyOfContextMap())
                .handle((found, failure) -> {
                    if (found == null) {
                        return null;
                    }
                    lastGood.put(scope.key(), new Stale(found.value(), found.remaining()));
                    return found.value();
                });
    }

    /**
     * A miss here: walked by this request, or, with the cache shared by replicas, the directory the cluster keeps
     * or the one another replica walks now (single flight across replicas, waited for at most until the request's
     * deadline), so an enterprise is walked once for all replicas per TTL.
     */
    private CompletableFuture<Outcome> walkOrShared(Exchange exchange, DirectoryScope scope) {
        if (sharedCurrent == null) {
            return walk(exchange, scope);
        }
        Caller caller = exchange.getVariable("caller", Caller.class);
        long deadline = caller != null && caller.deadline() != null ? caller.deadline().nanoTime()
                : System.nanoTime() + walkBudget.toNanos();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Executor onWorkers = task -> workers.execute(mdc, task);
        return sharedCurrent.getOrFetch(scope.key(), scope.ttl(), walkBudget, deadline, onWorkers,
                () -> walk(exchange, scope).thenApply(walked -> {
                    if (walked.directory() == null) {
                        throw new CompletionException(walked.failure());
                    }
                    return walked.directory();
                }), directory -> true).handle((found, failure) -> {
                    if (failure != null) {
                        Exception cause = unwrapped(failure);
                        return new Outcome(null, cause instanceof TimeoutException
                                ? new ProvisioningFailure(FailureKind.BACKEND_UNAVAILABLE, "the request's deadline "
                                + "passed while another replica read directory " + scope.key()) : cause, scope.ttl());
                    }
                    Directory directory = found.value();
                    if (found.kept()) {
                        // the same Last-Modified when this replica reads the same content itself later
                        versions.adopt(scope.key(), ContentVersions.checksum(directory.json()),
                                directory.lastModified());
                    }
                    return new Outcome(directory, null, found.remaining());
                });
    }

    /**
     * The last step of a directory walk: the pages shaped into contacts JSON (xslt/contacts.xsl), with its
     * checksum and the time it last changed.
     */
    public Directory shaped(@Variable("signIn") SignIn signIn, @Variable("directoryScope") DirectoryScope scope,
                            @Variable("walk") Walk walk) throws Exception {
        byte[] json = shaping.contacts(signIn.tenant(), scope.kind().value(), scope.enterpriseId(), scope.groupId(),
                walk);
        ContentVersions.Version version = versions.of(scope.key(), json);
        Directory directory = new Directory(scope.key(), json, gzip(json), version.etag(), version.since(), DirectoryPages.pages(walk).size(), false);
        Duration keep = staleFor(scope);
        if (!keep.isZero()) {
            lastGood.put(scope.key(), new Stale(directory, keep));
            if (sharedLastGood != null) {
                // not waited for: every replica can serve it while XSI fails, a moment from now
                sharedLastGood.put(scope.key(), directory, keep);
            }
        }
        return directory;
    }

    /** The answer's version: ETag and Last-Modified of the directory; 304 when the app's validators match. */
    public AccountVersion version(@Variable("directory") Directory directory, @Variable("caller") Caller caller) {
        return AccountVersions.of(directory.etag(), directory.lastModified(), caller);
    }

    /** The contacts JSON to send (reply/Replies.json sends its gzip copy instead to an app that takes gzip). */
    public byte[] body(@Variable("directory") Directory directory) {
        return directory.json();
    }

    /** Lets every directory's time run out, as if its TTL had passed; the last ones read stay (tests). */
    public void expireAll() {
        current.synchronous().invalidateAll();
    }

    /** Forgets every directory (tests). */
    public void clear() {
        current.synchronous().invalidateAll();
        lastGood.invalidateAll();
        versions.clear();
    }

    private CompletableFuture<Outcome> walk(Exchange exchange, DirectoryScope scope) {
        CompletableFuture<Outcome> walked = new CompletableFuture<>();
        try {
            producer().process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                exchange.setException(null);
                Directory directory = exchange.getVariable(DIRECTORY, Directory.class);
                if (failure == null && directory == null) {
                    failure = new IllegalStateException(WALK_ROUTE + " left no directory");
                }
                walked.complete(failure == null ? new Outcome(directory, null, scope.ttl())
                        : new Outcome(null, unwrapped(failure), scope.ttl()));
            });
        } catch (RuntimeException e) {
            walked.complete(new Outcome(null, e, scope.ttl()));
        }
        return walked;
    }

    private AsyncProducer producer() {
        AsyncProducer known = producer;
        if (known == null) {
            synchronized (this) {
                if (producer == null) {
                    try {
                        AsyncProducer created = camel.getEndpoint(WALK_ROUTE).createAsyncProducer();
                        ServiceHelper.startService(created);
                        producer = created;
                    } catch (Exception e) {
                        throw new IllegalStateException("no producer for " + WALK_ROUTE, e);
                    }
                }
                known = producer;
            }
        }
        return known;
    }

    private static Exception unwrapped(Throwable failure) {
        Throwable cause = BackendWorkers.unwrapped(failure);
        return cause instanceof Exception e ? e : new RuntimeException(cause);
    }

    private static byte[] gzip(byte[] json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 8 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out, 8192)) {
            zip.write(json);
        }
        return out.toByteArray();
    }


    private static Duration staleFor(DirectoryScope scope) {
        return scope.staleIfError() == null || scope.staleIfError().isNegative() ? Duration.ZERO : scope.staleIfError();
    }

    /** A walk's end: the directory, or why there is none (kept as a value: see BackendCache). */
    private record Outcome(Directory directory, Exception failure, Duration ttl) {
    }


    /** A directory kept for stale-if-error, as long as its tenant says. */
    private record Stale(Directory directory, Duration keep) {
    }

    /** A directory's bytes for the replicas: JSON, its gzip copy, ETag and Last-Modified, pages read. */
    static final class DirectoryCodec implements SharedRegion.Codec<Directory> {

        @Override
        public void write(Directory directory, DataOutput out) throws IOException {
            out.writeUTF(directory.key());
            writeBytes(directory.json(), out);
            writeBytes(directory.gzip(), out);
            out.writeUTF(directory.etag());
            out.writeLong(directory.lastModified().getEpochSecond());
            out.writeInt(directory.pages());
        }

        @Override
        public Directory read(DataInput in) throws IOException {
            return new Directory(in.readUTF(), readBytes(in), readBytes(in), in.readUTF(),
                    Instant.ofEpochSecond(in.readLong()), in.readInt(), false);
        }
    }
}
