package org.provproxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.reload.FolderWatcher.Changes;

/** The one watcher behind the live reload of stylesheets and routes, on a temporary folder. */
class FolderWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path folder;

    private final List<FolderWatcher> watchers = new CopyOnWriteArrayList<>();

    private FolderWatcher watcher(Duration interval) {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getReload().setInterval(interval);
        FolderWatcher watcher = new FolderWatcher(properties);
        watchers.add(watcher);
        return watcher;
    }

    @AfterEach
    void stop() {
        watchers.forEach(FolderWatcher::destroy);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Every change told to one listener, merged: what was added, changed and removed, in that order. */
    private static final class Heard {
        final List<Changes> all = new CopyOnWriteArrayList<>();

        void hear(Changes changes) {
            all.add(changes);
        }

        boolean added(String... files) {
            return all.stream().flatMap(c -> c.added().stream()).toList().containsAll(List.of(files));
        }

        boolean changed(String... files) {
            return all.stream().flatMap(c -> c.changed().stream()).toList().containsAll(List.of(files));
        }

        boolean removed(String... files) {
            return all.stream().flatMap(c -> c.removed().stream()).toList().containsAll(List.of(files));
        }

        Set<String> everything() {
            return all.stream().flatMap(c -> java.util.stream.Stream.of(c.added(), c.changed(), c.removed()))
                    .flatMap(Set::stream).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void addedChangedAndRemovedFilesAreToldBySlashSeparatedPathsInSubfoldersToo() throws IOException {
        write(folder.resolve("ping.yaml"), "a");
        write(folder.resolve("api/account.yaml"), "a");
        Heard heard = new Heard();
        watcher(Duration.ofMillis(20)).watch(folder, ".yaml", heard::hear);
        assertThat(FolderWatcher.files(folder, ".yaml")).containsExactly("api/account.yaml", "ping.yaml");

        write(folder.resolve("walk/deep/devices.yaml"), "a");
        write(folder.resolve("notes.txt"), "not a route");
        write(folder.resolve(".hidden.yaml"), "an editor's");
        write(folder.resolve(".git/config.yaml"), "hidden folder");
        await().atMost(WAIT).until(() -> heard.added("walk/deep/devices.yaml"));

        write(folder.resolve("api/account.yaml"), "changed");
        await().atMost(WAIT).until(() -> heard.changed("api/account.yaml"));

        Files.delete(folder.resolve("ping.yaml"));
        await().atMost(WAIT).until(() -> heard.removed("ping.yaml"));

        assertThat(heard.everything()).as("only what changed, of the suffix, not hidden")
                .containsExactlyInAnyOrder("walk/deep/devices.yaml", "api/account.yaml", "ping.yaml");
        assertThat(heard.all).allSatisfy(changes -> assertThat(changes.isEmpty()).isFalse());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheWatcher() throws IOException {
        FolderWatcher watcher = watcher(Duration.ofMillis(20));
        Path other = Files.createDirectories(folder.resolve("other"));
        Path mine = Files.createDirectories(folder.resolve("mine"));
        Heard failing = new Heard();
        Heard fine = new Heard();
        watcher.watch(mine, ".xsl", changes -> {
            failing.hear(changes);
            throw new IllegalStateException("a listener's bug");
        });
        watcher.watch(other, ".xsl", fine::hear);

        write(mine.resolve("account.xsl"), "a");
        await().atMost(WAIT).until(() -> failing.added("account.xsl"));
        write(mine.resolve("global.xsl"), "a");
        write(other.resolve("global.xsl"), "a");
        await().atMost(WAIT).until(() -> failing.added("global.xsl") && fine.added("global.xsl"));
        assertThat(failing.all).as("a change is told once, even when its listener failed")
                .extracting(changes -> List.copyOf(changes.added()))
                .containsExactly(List.of("account.xsl"), List.of("global.xsl"));
    }

    @Test
    void aFolderThatIsGoneForAMomentDoesNotLookLikeEveryFileWasRemoved() throws IOException {
        Path routes = Files.createDirectories(folder.resolve("routes"));
        write(routes.resolve("ping.yaml"), "a");
        Heard heard = new Heard();
        watcher(Duration.ofMillis(20)).watch(routes, ".yaml", heard::hear);

        // an operator swapping in a new version of the folder
        Files.move(routes, folder.resolve("routes-old"));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> heard.all.isEmpty());
        Path next = Files.createDirectories(folder.resolve("routes-new"));
        write(next.resolve("ping.yaml"), "new version");
        write(next.resolve("pong.yaml"), "a");
        Files.move(next, routes);

        await().atMost(WAIT).until(() -> heard.added("pong.yaml") && heard.changed("ping.yaml"));
        assertThat(heard.all).noneSatisfy(changes -> assertThat(changes.removed()).isNotEmpty());
    }

    @Test
    void aCancelledWatchAndAnIntervalOfZeroHearNothing() throws IOException {
        Heard cancelled = new Heard();
        Heard off = new Heard();
        watcher(Duration.ofMillis(20)).watch(folder, ".yaml", cancelled::hear).cancel();
        FolderWatcher never = watcher(Duration.ZERO);
        never.watch(folder, ".yaml", off::hear);
        assertThat(never.enabled()).isFalse();

        write(folder.resolve("ping.yaml"), "a");
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> cancelled.all.isEmpty() && off.all.isEmpty());
    }
}
