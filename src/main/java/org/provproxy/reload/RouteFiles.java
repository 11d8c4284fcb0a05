package org.provproxy.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.provproxy.shaping.Stylesheets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Live reload of route files, when routes are read from a folder: an added or changed YAML file has its routes
 * loaded again (Camel's RoutesLoader: a route with the same id is replaced), routes that left a changed file and
 * the routes of a deleted file are stopped (gracefully: exchanges in flight finish) and removed. The other files'
 * routes keep running. A file that does not load is logged and its previous routes keep serving. One watcher
 * does all of it: Camel's own reload watcher keeps a deleted file's routes, and a second watcher beside it would
 * contend with it.
 */
@Component
public class RouteFiles implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final CamelContext camel;
    private final Path folder;
    private final long interval;
    private ScheduledExecutorService watcher;
    private Map<String, String> seen = Map.of();
    private final Map<String, String> refused = new java.util.concurrent.ConcurrentHashMap<>();

    public RouteFiles(CamelContext camel, Environment environment) {
        this.camel = camel;
        String location = environment.getProperty("provisioning.routes-location", "");
        this.interval = environment.getProperty("provisioning.reload.interval", Duration.class, Duration.ofMillis(500))
                .toMillis();
        this.folder = location.startsWith("file:") && interval > 0
                ? Path.of(location.substring("file:".length())).toAbsolutePath().normalize() : null;
    }

    /** Starts watching once the routes are loaded, from the files as they are then. */
    @EventListener(ContextRefreshedEvent.class)
    public synchronized void start() {
        if (folder == null || watcher != null) {
            return;
        }
        seen = stamps();
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "route-files");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::reloadChanges, interval, interval, TimeUnit.MILLISECONDS);
    }

    void reloadChanges() {
        try {
            Map<String, String> now = stamps();
            for (Map.Entry<String, String> file : now.entrySet()) {
                if (!file.getValue().equals(seen.get(file.getKey()))) {
                    load(file.getKey());
                }
            }
            for (String gone : seen.keySet()) {
                if (!now.containsKey(gone)) {
                    remove(gone, Set.of());
                    refused.remove(gone);
                }
            }
            seen = now;
        } catch (RuntimeException | Error e) {
            // a scheduled task that throws is never run again: log and keep watching
            LOG.warn("reloading route files failed: {}", e.toString());
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
        List<Route> routes = camel.getRoutes().stream().filter(route -> route.getSourceResource() != null
                && Path.of(route.getSourceResource().getLocation().replaceFirst("^file:", "")).toAbsolutePath()
                        .normalize().equals(folder.resolve(file))
                && !keep.contains(route.getRouteId())).toList();
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

    /** Route files that did not load at their last change: file -> message. */
    public Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    @Override
    public Health health() {
        return refused.isEmpty() ? Health.up().build() : Health.status(Stylesheets.WARNING).withDetail("refused", refused()).build();
    }

    private Map<String, String> stamps() {
        Map<String, String> stamps = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                stamps.put(file.getFileName().toString(),
                        Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file));
            }
        } catch (IOException e) {
            return seen;
        }
        return stamps;
    }

    @Override
    public synchronized void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
