package org.provproxy.reload;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.provproxy.config.ProvisioningProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Live reload of route files, when routes are read from a folder (in subfolders too): an added or changed YAML
 * file has its routes loaded again (Camel's RoutesLoader: a route with the same id is replaced), routes that left
 * a changed file and the routes of a deleted file are stopped (gracefully: exchanges in flight finish) and removed.
 * The other files' routes keep running. A file that does not load is logged and its previous routes keep serving.
 * The {@link FolderWatcher} tells the changes; Camel's own reload watcher is not used: it keeps a deleted file's
 * routes, and a second watcher beside it would contend with it.
 */
@Component
public class RouteFiles implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final CamelContext camel;
    private final FolderWatcher watcher;
    /** The folder of a file: location, where routes can change while the proxy runs; null for the jar. */
    private final Path folder;
    private FolderWatcher.Registration watch;
    /** By path relative to the folder, as the watcher names files (a top-level file: {@code ping.yaml}). */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public RouteFiles(CamelContext camel, ProvisioningProperties properties, FolderWatcher watcher) {
        this.camel = camel;
        this.watcher = watcher;
        String location = properties.getRoutesLocation();
        this.folder = location.startsWith("file:")
                ? Path.of(location.substring("file:".length())).toAbsolutePath().normalize() : null;
    }

    /** Starts watching once the routes are loaded, from the files as they are then. */
    @EventListener(ContextRefreshedEvent.class)
    public synchronized void start() {
        if (folder == null || watch != null) {
            return;
        }
        watch = watcher.watch(folder, ".yaml", this::apply);
    }

    /** Loads added and changed files first: a route that moved to another file is replaced, never missing. */
    void apply(FolderWatcher.Changes changes) {
        changes.added().forEach(this::load);
        changes.changed().forEach(this::load);
        for (String gone : changes.removed()) {
            remove(gone, Set.of());
            refused.remove(gone);
        }
    }

    private void load(String file) {
        Resource resource = PluginHelper.getResourceLoader(camel).resolveResource("file:" + folder.resolve(file));
        try {
            Set<String> loaded = PluginHelper.getRoutesLoader(camel).updateRoutes(List.of(resource));
            remove(file, loaded);
            refused.remove(file);
            LOG.info("route file {} loaded: {}", file, loaded);
        } catch (Exception e) {
            refused.put(file, String.valueOf(e.getMessage()));
            LOG.error("route file {} refused, its previous routes keep serving: {}", file, e.getMessage());
        }
    }

    /** Stops and removes the routes loaded from {@code file}, except those in {@code keep}. */
    private void remove(String file, Set<String> keep) {
        List<Route> routes = camel.getRoutes().stream()
                .filter(route -> file.equals(fileOf(route)) && !keep.contains(route.getRouteId())).toList();
        for (Route route : routes) {
            try {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
                LOG.info("route {} removed: it is no longer in {}", route.getRouteId(), file);
            } catch (Exception e) {
                LOG.warn("could not remove route {} of {}: {}", route.getRouteId(), file, e.toString());
            }
        }
    }

    /**
     * The file a route was loaded from, named as the watcher names it (relative to the folder), or null when it
     * does not come from a file in the folder. Camel keeps the location it was given: {@code file:} and a relative
     * or absolute path (at start) or a file URI.
     */
    private String fileOf(Route route) {
        Resource source = route.getSourceResource();
        String location = source == null ? null : source.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        Path path = location.startsWith("file://") ? Path.of(URI.create(location))
                : Path.of(location.substring("file:".length()));
        path = path.toAbsolutePath().normalize();
        return path.startsWith(folder) ? FolderWatcher.relative(folder, path) : null;
    }

    /** Route files that did not load at their last change: path relative to the folder -> message. */
    public Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    @Override
    public Health health() {
        return refused.isEmpty() ? Health.up().build()
                : Health.status(FolderWatcher.REFUSED).withDetail("refused", refused()).build();
    }

    @Override
    public synchronized void destroy() {
        if (watch != null) {
            watch.cancel();
        }
    }
}
