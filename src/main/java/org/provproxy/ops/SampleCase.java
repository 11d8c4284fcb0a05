package org.provproxy.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One folder of {@code samples/}: the request, the recorded XSI/DMS answers and the expected answer (format in
 * samples/README.md). Read by the demo backend and by the regression tests, so the format lives here only.
 */
public final class SampleCase {

    /** Written in recorded documents where the stand-in's own base URL goes (e.g. in deviceTypeUrl). */
    public static final String BACKEND_PLACEHOLDER = "${backend}";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern XML_ENCODING = Pattern.compile("^<\\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']");

    private final Path folder;
    private final Properties request;
    private final Properties expected;
    private final Properties backend;

    private SampleCase(Path folder) {
        this.folder = folder;
        this.request = properties(folder.resolve("request.properties"));
        this.expected = properties(folder.resolve("expected.properties"));
        this.backend = properties(folder.resolve("backend.properties"));
    }

    public static SampleCase load(Path folder) {
        return new SampleCase(folder);
    }

    /** The case named {@code name} under {@code samplesDir}, if the name is a plain folder name and exists. */
    public static Optional<SampleCase> find(Path samplesDir, String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()
                || !Files.isRegularFile(samplesDir.resolve(name).resolve("request.properties"))) {
            return Optional.empty();
        }
        return Optional.of(load(samplesDir.resolve(name)));
    }

    public String name() {
        return folder.getFileName().toString();
    }

    public Path folder() {
        return folder;
    }

    public String method() {
        return request.getProperty("method", "GET");
    }

    public String path() {
        return request.getProperty("path", "/provisioning/account");
    }

    public Map<String, String> params() {
        return prefixed(request, "param.");
    }

    public Map<String, String> requestHeaders() {
        return prefixed(request, "header.");
    }

    /** The token to send, when the case re-provisions: {@code token.*} keys of request.properties. */
    public Optional<TokenSpec> token() {
        if (request.getProperty("token.user") == null) {
            return Optional.empty();
        }
        String previous = request.getProperty("token.previous-account");
        return Optional.of(new TokenSpec(request.getProperty("token.tenant"), request.getProperty("token.user"),
                request.getProperty("token.password"), request.getProperty("token.issued"),
                previous == null ? null : folder.resolve(previous), request.getProperty("token.key", ""),
                Boolean.parseBoolean(request.getProperty("token.tamper", "false")),
                request.getProperty("token.expires")));
    }

    /**
     * A token a case asks for: sealed for {@code tenant}/{@code user}/{@code password}, issued at {@code issued}
     * (ISO instant; default now), for the account in {@code previousAccount} (the one the app holds); sealed with
     * an unknown key when {@code key} is {@code unknown}; with a flipped byte when {@code tamper}; expiring at
     * {@code expires} (an ISO instant, or an ISO duration from now such as {@code P30D} or {@code -P1D}; default:
     * the proxy's max-age from now).
     */
    public record TokenSpec(String tenant, String user, String password, String issued, Path previousAccount,
                            String key, boolean tamper, String expires) {

        /** When the token expires, or null for the default. */
        public Instant expiry() {
            if (expires == null || expires.isBlank()) {
                return null;
            }
            String value = expires.trim();
            return value.startsWith("P") || value.startsWith("-P")
                    ? Instant.now().plus(Duration.parse(value)).truncatedTo(ChronoUnit.SECONDS) : Instant.parse(value);
        }
    }

    /** {@code token=same|new} in expected.properties: whether the answer must carry the token that was sent. */
    public String expectedToken() {
        return expected.getProperty("token", "");
    }

    public int expectedStatus() {
        return Integer.parseInt(expected.getProperty("status", "200").trim());
    }

    public Map<String, String> expectedHeaders() {
        return prefixed(expected, "header.");
    }

    public Path expectedBody() {
        return folder.resolve("expected.xml");
    }

    public String backend(String key) {
        return backend.getProperty(key);
    }

    /** Every resource the backend answers: files under backend/ plus resources given only a status. */
    public Map<String, Answer> resources(String baseUrl) {
        Map<String, Answer> resources = new TreeMap<>();
        Path root = folder.resolve("backend");
        if (Files.isDirectory(root)) {
            try (var files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    String resource = relative.startsWith("xsi/") ? relative.replaceFirst("\\.xml$", "") : relative;
                    resources.put(resource, answer(resource, baseUrl).orElseThrow());
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String key : backend.stringPropertyNames()) {
            if (key.endsWith(".status") && (key.startsWith("xsi/") || key.startsWith("dms/"))) {
                String resource = key.substring(0, key.length() - ".status".length());
                resources.computeIfAbsent(resource, r -> answer(r, baseUrl).orElseThrow());
            }
        }
        return resources;
    }

    /**
     * How the backend answers {@code resource} ({@code xsi/profile/Device}, {@code dms/bc-mobile/config.xml}):
     * empty when the case knows nothing of it (a real backend would answer 404).
     */
    public Optional<Answer> answer(String resource, String baseUrl) {
        Path root = folder.resolve("backend").normalize();
        Path file = root.resolve(resource.startsWith("xsi/") ? resource + ".xml" : resource).normalize();
        boolean hasFile = file.startsWith(root) && Files.isRegularFile(file);
        String status = backend.getProperty(resource + ".status");
        if (!hasFile && status == null) {
            return Optional.empty();
        }
        byte[] body = hasFile ? withBaseUrl(read(file), baseUrl) : new byte[0];
        String contentType = backend.getProperty(resource + ".content-type", hasFile ? contentType(body) : null);
        return Optional.of(new Answer(
                status == null ? 200 : Integer.parseInt(status.trim()),
                contentType,
                body,
                Integer.parseInt(backend.getProperty(resource + ".delay-ms", "0").trim()),
                backend.getProperty(resource + ".fault")));
    }

    /** A recorded answer: status, Content-Type (null for none), body, delay before answering, optional fault. */
    public record Answer(int status, String contentType, byte[] body, int delayMs, String fault) {
    }

    /** application/xml with the charset the document declares, as XSI does. */
    static String contentType(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        Matcher m = XML_ENCODING.matcher(head);
        return "application/xml;charset=" + (m.find() ? m.group(1) : "UTF-8");
    }

    /** Replaces the placeholder byte-wise (ISO-8859-1 maps bytes 1:1), so a document keeps its own encoding. */
    private static byte[] withBaseUrl(byte[] body, String baseUrl) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.replace(BACKEND_PLACEHOLDER, baseUrl).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> prefixed(Properties properties, String prefix) {
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        return values;
    }

    private static Properties properties(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
