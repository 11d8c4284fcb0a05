package org.provproxy.reload;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.provproxy.config.ProvisioningProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Tells who registered a folder which of its files were added, changed or removed: the live reload of stylesheets
 * and routes edited in place. One daemon thread polls every registered folder each
 * {@code provisioning.reload.interval} (0s: never), recursively, for the files whose name ends in the folder's
 * suffix. A file is known by its path relative to the folder with {@code /} separators ({@code api/x.yaml}) and
 * stamped with its last-modified time and size. Polling, not the JDK's WatchService: it sees changes on every
 * file system (network and container mounts too) and through symbolic links, and a folder's files are few.
 *
 * <p>Hidden files and folders (a name starting with {@code .}) are not seen: editors' lock and swap files, and the
 * {@code ..data} folder of a Kubernetes ConfigMap mount (its files are seen through their links). A folder that is
 * missing or cannot be read for a moment is skipped until it can be read again, so replacing it does not look like
 * every file was removed. A listener that throws is logged and the watcher goes on; the change is not told again.
 */
@Component
public class FolderWatcher implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    /** Health of a folder with a refused file: the previous version still serves, so a warning, not an outage. */
    public static final Status REFUSED = new Status("WARNING", "a file was refused; its previous version serves");

    private final Duration interval;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService poller;
    private boolean closed;

    public FolderWatcher(ProvisioningProperties properties) {
        this.interval = properties.getReload().getInterval();
    }

    /** What changed in a folder since the last look: paths relative to it, {@code /}-separated, sorted. */
    public record Changes(SortedSet<String> added, SortedSet<String> changed, SortedSet<String> removed) {

        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    /** Hears of the changes in a registered folder, on the watcher's thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(Changes changes);
    }

    /** A registered folder; {@link #cancel()} ends its watch. */
    public interface Registration {
        void cancel();
    }

    /** Whether folders are polled at all ({@code provisioning.reload.interval} above 0s). */
    public boolean enabled() {
        return interval.toMillis() > 0;
    }

    /**
     * Watches {@code folder} (and its subfolders) for files ending in {@code suffix}, starting from the files as
     * they are now: {@code listener} hears of every later change. Does nothing when polling is off (or the
     * application is closing).
     */
    public synchronized Registration watch(Path folder, String suffix, Listener listener) {
        if (!enabled() || closed) {
            return () -> { };
        }
        Watch watch = new Watch(folder.toAbsolutePath().normalize(), suffix, listener);
        watches.add(watch);
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "folder-watcher");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            poller.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
        }
        return () -> watches.remove(watch);
    }

    /**
     * Every file below {@code folder} ending in {@code suffix}, as the watcher sees them: relative paths,
     * {@code /}-separated, sorted. Empty when the folder does not exist.
     */
    public static SortedSet<String> files(Path folder, String suffix) throws IOException {
        return new TreeSet<>(scan(folder.toAbsolutePath().normalize(), suffix).map(Map::keySet).orElse(Set.of()));
    }

    private void pollAll() {
        for (Watch watch : watches) {
            try {
                watch.poll();
            } catch (RuntimeException | Error e) {
                // a scheduled task that throws is never run again: one listener must not end every watch
                LOG.error("watching {} failed, watching goes on", watch.folder, e);
            }
        }
    }

    /** The files of a folder with their stamps; empty when the folder does not exist (or is not a folder). */
    private static Optional<Map<String, Stamp>> scan(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        SortedMap<String, Stamp> stamps = new TreeMap<>();
        Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        return !dir.equals(folder) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String name = file.getFileName().toString();
                        if (attributes.isRegularFile() && name.endsWith(suffix) && !hidden(file)) {
                            stamps.put(relative(folder, file), new Stamp(attributes.lastModifiedTime(),
                                    attributes.size()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        // deleted while the folder was walked, or a link loop: not a file to watch
                        LOG.debug("skipping {}: {}", file, e.toString());
                        return FileVisitResult.CONTINUE;
                    }
                });
        return Optional.of(stamps);
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    /** How the watcher names {@code file} below {@code folder}: relative, {@code /}-separated on every system. */
    static String relative(Path folder, Path file) {
        StringBuilder key = new StringBuilder();
        for (Path name : folder.relativize(file)) {
            key.append(key.length() == 0 ? "" : "/").append(name);
        }
        return key.toString();
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        watches.clear();
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private record Stamp(FileTime modified, long size) {
    }

    /** One registered folder; its state is touched only by the poller thread once registered. */
    private static final class Watch {

        private final Path folder;
        private final String suffix;
        private final Listener listener;
        private Map<String, Stamp> seen;
        private boolean unreadable;

        Watch(Path folder, String suffix, Listener listener) {
            this.folder = folder;
            this.suffix = suffix;
            this.listener = listener;
            this.seen = read().orElse(Map.of());
        }

        void poll() {
            Optional<Map<String, Stamp>> read = read();
            if (read.isEmpty()) {
                return;
            }
            Map<String, Stamp> now = read.get();
            SortedSet<String> added = new TreeSet<>();
            SortedSet<String> changed = new TreeSet<>();
            SortedSet<String> removed = new TreeSet<>(seen.keySet());
            removed.removeAll(now.keySet());
            now.forEach((file, stamp) -> {
                Stamp before = seen.get(file);
                if (before == null) {
                    added.add(file);
                } else if (!before.equals(stamp)) {
                    changed.add(file);
                }
            });
            seen = now;
            Changes changes = new Changes(Collections.unmodifiableSortedSet(added),
                    Collections.unmodifiableSortedSet(changed), Collections.unmodifiableSortedSet(removed));
            if (!changes.isEmpty()) {
                try {
                    listener.changed(changes);
                } catch (RuntimeException | Error e) {
                    LOG.error("reacting to changes in {} failed: {}", folder, changes, e);
                }
            }
        }

        /** The folder's files now, or nothing while it is missing or unreadable (logged once). */
        private Optional<Map<String, Stamp>> read() {
            try {
                Optional<Map<String, Stamp>> files = scan(folder, suffix);
                if (files.isEmpty() && !unreadable) {
                    LOG.warn("{} is missing: its files count as unchanged until it is back", folder);
                }
                unreadable = files.isEmpty();
                return files;
            } catch (IOException | RuntimeException e) {
                if (!unreadable) {
                    LOG.warn("{} cannot be read ({}): its files count as unchanged until it can", folder, e.toString());
                }
                unreadable = true;
                return Optional.empty();
            }
        }
    }
}
