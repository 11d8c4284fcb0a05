package org.provproxy.contacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import org.provproxy.failure.FailurePolicy;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Shaping;
import org.provproxy.shaping.XmlTrees;
import org.provproxy.walk.Walk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    /** The last directory read per key, for stale-if-error. */
    private final Cache<String, Stale> lastGood;
    /** Per key, the checksum last served and since when: Last-Modified survives a walk that changed nothing. */
    private final ContentVersions<String> versions;
    private volatile AsyncProducer producer;

    public Directories(CamelContext camel, Shaping shaping, ProvisioningProperties properties) {
        this.camel = camel;
        this.shaping = shaping;
        long max = Math.max(1000, properties.getCache().getMaxEntries() / 100);
        this.current = Caffeine.newBuilder().maximumSize(max)
                .expireAfter(new EntryLifetime<String, Outcome>(Outcome::ttl)).buildAsync();
        this.lastGood = Caffeine.newBuilder().maximumSize(max)
                .expireAfter(new EntryLifetime<String, Stale>(Stale::keep)).build();
        this.versions = new ContentVersions<>(max);
    }

    /** The directories kept, for their size metric (observe/CacheMeters). */
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
                walk(exchange, scope).whenComplete((walked, impossible) -> {
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
            Stale kept = FailurePolicy.isTransient(done.failure()) ? lastGood.getIfPresent(scope.key()) : null;
            Directory stale = kept != null ? kept.directory().servedStale() : null;
            if (stale != null) {
                LOG.warn("directory {} could not be read ({}): serving the one read at {}", scope.key(),
                        FailurePolicy.classify(done.failure()).code(), stale.lastModified());
                exchange.setVariable(DIRECTORY, stale);
                result.complete(stale);
            } else {
                result.completeExceptionally(done.failure());
            }
        });
        return result;
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
}
