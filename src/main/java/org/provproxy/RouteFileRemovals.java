package org.provproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Camel's route reload picks up added and changed route files, but keeps the routes of a file that was deleted.
 * This removes them: when a YAML file disappears from the routes folder, the routes loaded from it are stopped
 * (gracefully: exchanges in flight finish) and removed.
 */
@Component
public class RouteFileRemovals implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileRemovals.class);

    private final CamelContext camel;
    private final Path folder;
    private final ScheduledExecutorService watcher;
    private volatile Set<String> present;

    public RouteFileRemovals(CamelContext camel, Environment environment) {
        this.camel = camel;
        String location = environment.getProperty("provisioning.routes-location", "");
        long interval = environment.getProperty("provisioning.reload.interval", Duration.class, Duration.ofMillis(500))
                .toMillis();
        this.folder = location.startsWith("file:") && interval > 0
                ? Path.of(location.substring("file:".length())).toAbsolutePath().normalize() : null;
        this.present = files();
        this.watcher = folder == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "route-file-removals");
            thread.setDaemon(true);
            return thread;
        });
        if (watcher != null) {
            watcher.scheduleWithFixedDelay(this::removeRoutesOfDeletedFiles, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    void removeRoutesOfDeletedFiles() {
        Set<String> now = files();
        for (String gone : present) {
            if (!now.contains(gone)) {

                List<Route> routes = camel.getRoutes().stream().filter(route -> route.getSourceResource() != null
                        && route.getSourceResource().getLocation().endsWith("/" + gone)).toList();
                for (Route route : routes) {
                    try {
                        camel.getRouteController().stopRoute(route.getRouteId());
                        camel.removeRoute(route.getRouteId());
                        LOG.info("route {} removed: its file {} was deleted", route.getRouteId(), gone);
                    } catch (Exception e) {
                        LOG.warn("could not remove route {} of deleted file {}: {}", route.getRouteId(), gone, e.toString());
                    }
                }
            }
        }
        present = now;
    }

    private Set<String> files() {
        if (folder == null || !Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            return present;
        }
    }

    @Override
    public void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
