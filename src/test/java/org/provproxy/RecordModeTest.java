package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.provproxy.backend.BackendCache;
import org.provproxy.contacts.Directories;
import org.provproxy.ops.SampleCase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/** A recorded walk is a sample folder without a single secret, and it passes when replayed. */
@TestPropertySource(properties = {
    "provisioning.record.users=alice@acme.example,ghost",
    "provisioning.record.dir=target/recorded"})
class RecordModeTest extends ProxyTestSupport {

    private static final Path RECORDED = Path.of("target/recorded");

    @Autowired
    Directories directories;

    @Autowired
    BackendCache backendCache;

    @BeforeEach
    void clean() {
        FileSystemUtils.deleteRecursively(RECORDED.toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobile-three-devices", "xsi-wrong-password", "refresh-changed", "xsi-user-not-found",
        "global-monitored-users"})
    void aRecordedWalkHoldsNoSecretAndReplays(String name) throws IOException {
        SampleCase original = sample(name);
        BACKEND.serve(original);
        SampleCall call = SampleCall.of(original, tokens);
        var response = proxy().send(call);
        AnswerAssertions.assertAnswer(call, response, tokens);

        boolean listed = original.backend("xsi.user").startsWith("alice@") || original.backend("xsi.user").startsWith("ghost@");
        if (listed) {
            // written once the exchange is complete, which is after its answer was sent
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(RECORDED) && folderCount() == 1);
        }
        try (Stream<Path> folders = Files.exists(RECORDED) ? Files.list(RECORDED) : Stream.empty()) {
            List<Path> recorded = folders.toList();
            if (!listed) {
                assertThat(recorded).as("users not listed are not recorded").isEmpty();
                return;
            }
            assertThat(recorded).hasSize(1);
            Path folder = recorded.get(0);

            List<String> secrets = new ArrayList<>(List.of(original.backend("xsi.password")));
            if (original.backend("dms.password") != null) {
                secrets.add(original.backend("dms.password"));
            }
            if (call.token() != null) {
                secrets.add(call.token());
            }
            String answer = new String(response.body(), StandardCharsets.UTF_8);
            java.util.regex.Matcher sip = java.util.regex.Pattern.compile("<(?:password|X-xsi-token)>([^<]+)<").matcher(answer);
            while (sip.find()) {
                secrets.add(sip.group(1));
            }
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                            .as("%s", file).doesNotContain(secrets).doesNotContainIgnoringCase("authorization");
                }
            }

            // replay a copy: the replay itself is recorded again into target/recorded
            Path copy = Path.of("target/recorded-replay").resolve(folder.getFileName());
            FileSystemUtils.deleteRecursively(copy);
            FileSystemUtils.copyRecursively(folder, copy);
            SampleCase replayed = SampleCase.load(copy);
            assertThat(replayed.expectedStatus()).isEqualTo(original.expectedStatus());
            replay(replayed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"contacts-paged-directory", "contacts-directory-not-assigned", "contacts-unchanged-304",
        "contacts-xsi-unavailable", "contacts-wrong-password-logout"})
    void aRecordedContactsRequestHoldsItsDirectoryAndReplays(String name) throws IOException {
        SampleCase original = sample(name);
        directories.clear();
        backendCache.clear();
        String token = SampleCall.of(original, tokens).token();
        replay(original);

        // prime=true: the first request (200) and the case's own (304), each recorded
        int requests = original.prime() ? 2 : 1;
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(RECORDED) && folderCount() == requests);
        List<Path> recorded = recordedInOrder();
        for (Path folder : recorded) {
            assertNoSecret(folder, List.of(original.backend("xsi.password"), original.token().orElseThrow().password(),
                    token));
            SampleCase copy = SampleCase.load(folder);
            assertThat(copy.path()).isEqualTo("/services/contacts");
            assertThat(copy.params()).as("contacts take no platform").isEmpty();
            assertThat(copy.token()).get().satisfies(t -> {
                assertThat(t.tenant()).isEqualTo("acme");
                assertThat(t.user()).isEqualTo("alice@acme.example");
                assertThat(t.password()).isEqualTo("x-recorded-portal-password");
            });
        }
        Path folder = recorded.get(recorded.size() - 1);
        switch (name) {
            case "contacts-paged-directory" -> {
                assertThat(backendFiles(folder)).containsExactly("xsi/directories/Enterprise@start=1.xml",
                        "xsi/directories/Enterprise@start=3.xml", "xsi/directories/Enterprise@start=5.xml",
                        "xsi/profile.xml");
                assertThat(folder.resolve("expected.json")).exists();
                assertThat(folder.resolve("expected.xml")).doesNotExist();
                assertThat(SampleCase.load(folder).requestHeaders()).isEmpty();
            }
            case "contacts-directory-not-assigned" -> {
                // a 403 page: its status, its = as people write it
                assertThat(Files.readAllLines(folder.resolve("backend.properties")))
                        .contains("xsi/directories/Enterprise@start=1.status=403");
                assertThat(SampleCase.load(folder).resources("").get("xsi/directories/Enterprise@start=1").status())
                        .isEqualTo(403);
                assertThat(folder.resolve("expected.json")).exists();
            }
            case "contacts-unchanged-304" -> {
                assertThat(SampleCase.load(recorded.get(0)).expectedStatus()).isEqualTo(200);
                assertThat(SampleCase.load(recorded.get(0)).prime()).isFalse();
                SampleCase notModified = SampleCase.load(folder);
                assertThat(notModified.expectedStatus()).isEqualTo(304);
                assertThat(notModified.prime()).isTrue();
                assertThat(notModified.requestHeaders()).containsExactly(Map.entry("If-None-Match", "${etag}"));
                assertThat(notModified.expectedHeaders()).containsExactly(Map.entry("ETag", "${etag}"));
                assertThat(folder.resolve("expected.json")).doesNotExist();
                assertThat(folder.resolve("expected.xml")).doesNotExist();
            }
            default -> {
                // errors: XML as for accounts, the failing answer recorded with its status
                assertThat(folder.resolve("expected.xml")).exists();
                assertThat(folder.resolve("expected.json")).doesNotExist();
            }
        }

        for (Path each : recorded) {
            replayCopy(each);
        }
    }

    /**
     * Tenant {@code cached} keeps a directory 10 minutes, shared by its enterprise: bob (not recorded) has it read,
     * then alice (recorded), of the same enterprise, asks. Her request walks the directory itself, so her folder holds
     * every page (and her answer is her stand-in's directory, not the one bob's request left); bob's next request is
     * still answered from the shared directory, which her walk did not touch.
     */
    @Test
    void aRecordedContactsRequestWalksItsDirectoryItselfWhileOthersShareTheCachedOne() throws IOException {
        directories.clear();
        backendCache.clear();
        SampleCase bob = variant("contacts-enterprise-user", "bob@acme.example");
        SampleCase alice = variant("contacts-paged-directory", "alice@acme.example");
        replay(bob);
        assertThat(pagesAsked()).isEqualTo(1);
        assertThat(Files.exists(RECORDED)).as("bob is not recorded").isFalse();

        replay(alice);
        assertThat(pagesAsked()).as("alice's pages, though the enterprise's directory is kept").isEqualTo(3);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(RECORDED) && folderCount() == 1);
        Path folder = recordedInOrder().get(0);
        assertThat(backendFiles(folder)).containsExactly("xsi/directories/Enterprise@start=1.xml",
                "xsi/directories/Enterprise@start=3.xml", "xsi/directories/Enterprise@start=5.xml", "xsi/profile.xml");
        assertThat(SampleCase.load(folder).token()).get().extracting(SampleCase.TokenSpec::tenant).isEqualTo("cached");
        assertNoSecret(folder, List.of("x-fake-portal-alice", SampleCall.of(alice, tokens).token()));

        BACKEND.serve(bob);
        check(bob);
        assertThat(pagesAsked()).as("bob: the shared directory, as before").isZero();

        replayCopy(folder);
    }

    /** An app taking gzip gets the directory's gzip copy; the recording holds the JSON it stands for. */
    @Test
    void aGzipAnswerIsRecordedAsItsJson() throws IOException {
        directories.clear();
        backendCache.clear();
        SampleCase original = sample("contacts-paged-directory");
        BACKEND.serve(original);
        SampleCall call = SampleCall.of(original, tokens);
        var response = proxy().send(original.method(), original.path(), call.params(),
                Map.of("Accept-Encoding", "gzip"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(RECORDED) && folderCount() == 1);
        Path folder = recordedInOrder().get(0);
        assertThat(SampleCase.load(folder).requestHeaders()).as("the app's Accept-Encoding is not the case's").isEmpty();
        assertThat(folder.resolve("expected.json")).hasSameTextualContentAs(original.expectedJson().orElseThrow());
        replayCopy(folder);
    }

    /** A copy of a recorded folder, replayed by the samples runner with nothing cached that its backend should say. */
    private void replayCopy(Path folder) {
        Path copy = Path.of("target/recorded-replay").resolve(folder.getFileName());
        FileSystemUtils.deleteRecursively(copy.toFile());
        try {
            FileSystemUtils.copyRecursively(folder, copy);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        directories.clear();
        backendCache.clear();
        replay(SampleCase.load(copy));
    }

    /** A sample as {@code user} of tenant {@code cached} (user domain acme.example; directories kept 10 minutes). */
    private static SampleCase variant(String name, String user) throws IOException {
        Path copy = Path.of("target/record-variants").resolve(name + "-" + user.substring(0, user.indexOf('@')));
        FileSystemUtils.deleteRecursively(copy.toFile());
        FileSystemUtils.copyRecursively(SAMPLES.resolve(name), copy);
        for (String file : List.of("request.properties", "backend.properties")) {
            Path properties = copy.resolve(file);
            Files.writeString(properties, Files.readString(properties, StandardCharsets.ISO_8859_1)
                    .replace("token.tenant=acme", "token.tenant=cached")
                    .replace("alice@acme.example", user), StandardCharsets.ISO_8859_1);
        }
        return SampleCase.load(copy);
    }

    /** Directory pages the stand-in was asked for since it was last served. */
    private static int pagesAsked() {
        return BACKEND.server().findAll(getRequestedFor(urlPathMatching(".*/directories/Enterprise"))).size();
    }

    private static List<String> backendFiles(Path folder) throws IOException {
        Path root = folder.resolve("backend");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    private static void assertNoSecret(Path folder, List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as("%s", file).doesNotContain(secrets).doesNotContainIgnoringCase("authorization");
            }
        }
    }

    /** The recorded folders in the order they were written (the number at the end of their names). */
    private static List<Path> recordedInOrder() throws IOException {
        try (Stream<Path> folders = Files.list(RECORDED)) {
            return folders.sorted(Comparator.comparingInt((Path f) -> Integer.parseInt(
                    f.getFileName().toString().replaceAll(".*-", "")))).toList();
        }
    }

    private static long folderCount() throws IOException {
        try (Stream<Path> folders = Files.list(RECORDED)) {
            return folders.count();
        }
    }
}
