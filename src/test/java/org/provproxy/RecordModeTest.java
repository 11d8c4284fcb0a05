package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/** A recorded walk is a sample folder without a single secret, and it passes when replayed. */
@TestPropertySource(properties = {
    "provisioning.record.users=alice@acme.example,ghost",
    "provisioning.record.dir=target/recorded"})
class RecordModeTest extends ProxyTestSupport {

    private static final Path RECORDED = Path.of("target/recorded");

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

    private static long folderCount() throws IOException {
        try (Stream<Path> folders = Files.list(RECORDED)) {
            return folders.count();
        }
    }
}
