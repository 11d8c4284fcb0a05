package org.provproxy.ops;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
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
    /** A per-resource key of backend.properties: {@code <resource>.<setting>}. */
    private static final Pattern SETTING_KEY = Pattern.compile("(.+)\\.(status|delay-ms|content-type|fault|method)");
    /**
     * A line of backend.properties setting an XSI resource with a query part, up to its setting's name
     * ({@code xsi/directories/Enterprise@start=1001.status}): the {@code =} in it belongs to the key.
     */
    private static final Pattern QUERY_SETTING_LINE = Pattern.compile(
            "^([ \\t\\f]*)(xsi/[^\\s=:]*@\\S*?\\.(?:status|delay-ms|content-type|fault|method))(?=[ \\t\\f]*[=:]|[ \\t\\f])",
            Pattern.MULTILINE);

    /** Such a line as {@link Properties#store} writes it: the key's {@code =} and {@code :} backslash-escaped. */
    private static final Pattern STORED_QUERY_SETTING_LINE = Pattern.compile(
            "^(xsi/[^\\s=:\\\\]*@(?:\\\\.|[^\\s=:\\\\])*?\\.(?:status|delay-ms|content-type|fault))(?==)",
            Pattern.MULTILINE);

    private final Path folder;
    private final Properties request;
    private final Properties expected;
    private final Properties backend;

    private SampleCase(Path folder) {
        this.folder = folder;
        this.request = properties(folder.resolve("request.properties"));
        this.expected = properties(folder.resolve("expected.properties"));
        this.backend = properties(folder.resolve("backend.properties"), SampleCase::escapeQueryKeys);
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

    /**
     * {@code prime=true} in request.properties: the runner first sends the request without its validator headers
     * (those mentioning {@code ${etag}} or {@code ${last-modified}}) and fills them in from that answer.
     */
    public boolean prime() {
        return Boolean.parseBoolean(request.getProperty("prime", "false").trim());
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

    /** The expected body as XML: expected.xml (it may not exist: a 304, or a JSON answer). */
    public Path expectedBody() {
        return folder.resolve("expected.xml");
    }

    /** The expected body as JSON, for endpoints answering JSON: expected.json, when it exists. */
    public Optional<Path> expectedJson() {
        Path json = folder.resolve("expected.json");
        return Files.isRegularFile(json) ? Optional.of(json) : Optional.empty();
    }

    /**
     * The expected body as bytes, for an endpoint answering binary content (a voice message's audio):
     * expected.bin, when it exists; compared byte for byte.
     */
    public Optional<Path> expectedBinary() {
        Path binary = folder.resolve("expected.bin");
        return Files.isRegularFile(binary) ? Optional.of(binary) : Optional.empty();
    }

    public String backend(String key) {
        return backend.getProperty(key);
    }

    /**
     * Every resource the backend answers, by its name ({@code xsi/profile}, {@code dms/bc-mobile/config.xml},
     * {@code xsi/directories/Enterprise@start=1001}; {@link ResourceName}): files under backend/ plus resources
     * given only a status.
     *
     * @throws IllegalArgumentException for a malformed {@code @} part, or two equally specific answers a request
     *         could match
     */
    public Map<String, Answer> resources(String baseUrl) {
        Map<ResourceName, Path> files = files();
        Map<ResourceName, Map<String, String>> settings = settings();
        Set<ResourceName> names = new TreeSet<>(files.keySet());
        settings.forEach((name, values) -> {
            if (values.containsKey("status")) {
                names.add(name);
            }
        });
        names.stream().map(ResourceName::path).distinct().forEach(path -> checkUnambiguous(path, names));
        Map<String, Answer> resources = new TreeMap<>();
        for (ResourceName name : names) {
            resources.put(name.toString(), answer(name, files, settings, baseUrl).orElseThrow());
        }
        return resources;
    }

    /**
     * How the backend answers the resource named {@code resource} ({@code xsi/profile/Device},
     * {@code dms/bc-mobile/config.xml}, or one answer for a query, {@code xsi/directories/Enterprise@start=1001}):
     * empty when the case knows nothing of it (a real backend would answer 404).
     */
    public Optional<Answer> answer(String resource, String baseUrl) {
        ResourceName name = parseName(resource);
        return answer(name, files(), settings(), baseUrl);
    }

    /**
     * How the backend answers a request of {@code resource} (a path as in {@link #answer(String, String)}, without
     * {@code @}) with the query string {@code rawQuery} (as sent, URL-encoded; null for none): the answer with the
     * most query parameters that all match (values compared URL-decoded), else the one without any; empty when
     * none fits.
     *
     * @throws IllegalArgumentException for a malformed {@code @} part, or two equally specific answers that match
     */
    public Optional<Answer> answer(String resource, String rawQuery, String baseUrl) {
        if (resource.startsWith("xsi/") && resource.indexOf('@') >= 0) {
            return Optional.empty();
        }
        Map<ResourceName, Path> files = files();
        Map<ResourceName, Map<String, String>> settings = settings();
        Map<String, List<String>> query = ResourceName.parseQuery(rawQuery);
        Set<ResourceName> variants = new TreeSet<>();
        for (ResourceName name : files.keySet()) {
            if (name.path().equals(resource)) {
                variants.add(name);
            }
        }
        settings.forEach((name, values) -> {
            if (name.path().equals(resource) && values.containsKey("status")) {
                variants.add(name);
            }
        });
        checkUnambiguous(resource, variants);
        return variants.stream().filter(name -> name.matches(query))
                .max(Comparator.comparingInt(name -> name.query().size()))
                .flatMap(name -> answer(name, files, settings, baseUrl));
    }

    private Optional<Answer> answer(ResourceName name, Map<ResourceName, Path> files,
                                    Map<ResourceName, Map<String, String>> settings, String baseUrl) {
        Path file = files.get(name);
        Map<String, String> set = settings.getOrDefault(name, Map.of());
        String status = set.get("status");
        if (file == null && status == null) {
            return Optional.empty();
        }
        byte[] body = file != null ? withBaseUrl(read(file), baseUrl) : new byte[0];
        String contentType = set.getOrDefault("content-type", file != null ? contentType(body) : null);
        return Optional.of(new Answer(
                status == null ? 200 : Integer.parseInt(status.trim()),
                contentType,
                body,
                Integer.parseInt(set.getOrDefault("delay-ms", "0").trim()),
                set.get("fault"),
                set.getOrDefault("method", "GET").trim().toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * A resource as samples name it: the path ({@code xsi/directories/Enterprise}) and, for XSI resources, the query
     * parameters it answers only, after an {@code @}: {@code xsi/directories/Enterprise@start=1001,results=1000}
     * (values URL-encoded where they hold {@code , = @ / %}; kept decoded here). Without {@code @}, the resource
     * answers whatever the query. DMS names are file paths, taken as they are.
     */
    public record ResourceName(String path, Map<String, String> query) implements Comparable<ResourceName> {

        private static final Pattern PARAMETER = Pattern.compile("([^=,@/]+)=([^=,@/]*)");

        public ResourceName {
            query = Collections.unmodifiableMap(new TreeMap<>(query));
        }

        /**
         * Reads {@code name}.
         *
         * @throws IllegalArgumentException when the {@code @} part is not {@code <name>=<value>[,<name>=<value>...]}
         *         with distinct names, or the path is empty
         */
        public static ResourceName parse(String name) {
            int at = name.indexOf('@');
            if (!name.startsWith("xsi/") || at < 0) {
                return new ResourceName(name, Map.of());
            }
            String path = name.substring(0, at);
            String part = name.substring(at + 1);
            Map<String, String> query = new TreeMap<>();
            String problem = null;
            if (path.length() <= "xsi/".length() || path.endsWith("/")) {
                problem = "no resource before the @";
            } else if (part.isEmpty()) {
                problem = "nothing after the @";
            } else {
                for (String parameter : part.split(",", -1)) {
                    Matcher m = PARAMETER.matcher(parameter);
                    if (!m.matches()) {
                        problem = "\"" + parameter + "\" is not <name>=<value>";
                        break;
                    }
                    String key;
                    String value;
                    try {
                        key = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                        value = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        problem = "\"" + parameter + "\" is not URL-encoded: " + e.getMessage();
                        break;
                    }
                    if (query.put(key, value) != null) {
                        problem = "parameter \"" + key + "\" named twice";
                        break;
                    }
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("malformed resource name \"" + name + "\": " + problem
                        + "; write <resource>@<name>=<value>[,<name>=<value>...], e.g. "
                        + "xsi/directories/Enterprise@start=1001");
            }
            return new ResourceName(path, query);
        }

        /**
         * The name under which an answer to a request of {@code path} with the query {@code rawQuery} (as sent,
         * URL-encoded; null for none) is recorded, told apart from the path's other answers by {@code parameters}
         * only, those of them the query has (the first value of each): a directory page,
         * {@code answering("xsi/directories/Group", "start=1001&results=1000", "start")}, is
         * {@code xsi/directories/Group@start=1001}. Without any of them in the query (or for a DMS file), the path
         * alone, which answers any query.
         */
        public static ResourceName answering(String path, String rawQuery, String... parameters) {
            if (!path.startsWith("xsi/")) {
                return new ResourceName(path, Map.of());
            }
            Map<String, List<String>> query = parseQuery(rawQuery);
            Map<String, String> named = new TreeMap<>();
            for (String parameter : parameters) {
                List<String> values = query.get(parameter);
                if (values != null && !values.isEmpty()) {
                    named.put(parameter, values.get(0));
                }
            }
            return new ResourceName(path, named);
        }

        /** Whether a request with this query (parameter → values, decoded) is answered by this resource. */
        public boolean matches(Map<String, List<String>> requestQuery) {
            return query.entrySet().stream().allMatch(parameter ->
                    requestQuery.getOrDefault(parameter.getKey(), List.of()).contains(parameter.getValue()));
        }

        /**
         * A query string ({@code start=1001&results=1000}, as sent: URL-encoded), each parameter's values decoded;
         * empty for null.
         */
        public static Map<String, List<String>> parseQuery(String rawQuery) {
            Map<String, List<String>> query = new TreeMap<>();
            if (rawQuery == null || rawQuery.isEmpty()) {
                return query;
            }
            for (String parameter : rawQuery.split("&")) {
                if (parameter.isEmpty()) {
                    continue;
                }
                int equals = parameter.indexOf('=');
                String key = equals < 0 ? parameter : parameter.substring(0, equals);
                String value = equals < 0 ? "" : parameter.substring(equals + 1);
                String decodedKey;
                String decodedValue;
                try {
                    decodedKey = URLDecoder.decode(key, StandardCharsets.UTF_8);
                    decodedValue = URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    continue; // a malformed escape matches nothing: the parameter is left out
                }
                query.computeIfAbsent(decodedKey, k -> new ArrayList<>()).add(decodedValue);
            }
            return query;
        }

        /** The name as samples write it, parameters in alphabetical order and URL-encoded. */
        @Override
        public String toString() {
            if (query.isEmpty()) {
                return path;
            }
            StringJoiner parameters = new StringJoiner(",", path + "@", "");
            query.forEach((key, value) -> parameters.add(encode(key) + "=" + encode(value)));
            return parameters.toString();
        }

        @Override
        public int compareTo(ResourceName other) {
            return toString().compareTo(other.toString());
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }

    /**
     * Two answers of one resource with as many parameters each, which one request could both match (no parameter
     * they share differs: {@code @start=1} and {@code @results=1000}), leave the answer to chance: refused.
     */
    private void checkUnambiguous(String path, Set<ResourceName> names) {
        List<ResourceName> variants = names.stream().filter(n -> n.path().equals(path) && !n.query().isEmpty())
                .toList();
        for (int i = 0; i < variants.size(); i++) {
            for (int j = i + 1; j < variants.size(); j++) {
                ResourceName a = variants.get(i);
                ResourceName b = variants.get(j);
                boolean compatible = a.query().entrySet().stream().allMatch(e ->
                        !b.query().containsKey(e.getKey()) || b.query().get(e.getKey()).equals(e.getValue()));
                if (a.query().size() == b.query().size() && compatible) {
                    throw new IllegalArgumentException("sample " + name() + ": " + a + " and " + b
                            + " are equally specific and one request can match both; name a parameter that tells "
                            + "them apart");
                }
            }
        }
    }

    /** The files under backend/, by resource name; XSI documents without their {@code .xml}. */
    private Map<ResourceName, Path> files() {
        Map<ResourceName, Path> files = new TreeMap<>();
        Path root = folder.resolve("backend");
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (var walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String resource = relative.startsWith("xsi/") ? relative.replaceFirst("\\.xml$", "") : relative;
                ResourceName name = parseName(resource);
                Path earlier = files.put(name, file);
                if (earlier != null) {
                    throw new IllegalArgumentException("sample " + name() + ": " + root.relativize(earlier) + " and "
                            + root.relativize(file) + " both answer " + name);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * backend.properties' per-resource settings ({@code <resource>.status}, {@code .delay-ms},
     * {@code .content-type}, {@code .fault}, {@code .method}) by resource name.
     */
    private Map<ResourceName, Map<String, String>> settings() {
        Map<ResourceName, Map<String, String>> settings = new TreeMap<>();
        for (String key : backend.stringPropertyNames()) {
            if (!key.startsWith("xsi/") && !key.startsWith("dms/")) {
                continue;
            }
            String resource;
            String setting;
            Matcher setKey = SETTING_KEY.matcher(key);
            if (setKey.matches()) {
                resource = setKey.group(1);
                setting = setKey.group(2);
            } else if (key.startsWith("xsi/") && key.indexOf('@') >= 0) {
                throw new IllegalArgumentException("sample " + name() + ": backend.properties key \"" + key
                        + "\" names no setting; write <resource>@<name>=<value>[,...].<status|delay-ms|content-type|"
                        + "fault|method>=<value>");
            } else {
                continue;
            }
            settings.computeIfAbsent(parseName(resource), r -> new TreeMap<>()).put(setting, backend.getProperty(key));
        }
        return settings;
    }

    private ResourceName parseName(String resource) {
        try {
            return ResourceName.parse(resource);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample " + name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A recorded answer: status, Content-Type (null for none), body, delay before answering, optional fault, and
     * the HTTP method it answers ({@code <resource>.method}: GET by default; PUT or DELETE for an XSI action such as
     * marking a voice message read, POST to add; several with commas, {@code GET,PUT}, for a resource that is
     * changed and read back in one request: each method gets the same answer).
     */
    public record Answer(int status, String contentType, byte[] body, int delayMs, String fault, String method) {

        public Answer(int status, String contentType, byte[] body, int delayMs, String fault) {
            this(status, contentType, body, delayMs, fault, "GET");
        }

        /** The methods of {@link #method}: one, or several given with commas. */
        public List<String> methods() {
            return java.util.Arrays.stream(method.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        }
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
        return properties(file, UnaryOperator.identity());
    }

    /** A properties file, its text (ISO-8859-1, as Properties reads it) first passed through {@code edit}. */
    private static Properties properties(Path file, UnaryOperator<String> edit) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try {
                properties.load(new StringReader(edit.apply(Files.readString(file, StandardCharsets.ISO_8859_1))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    /**
     * Lets {@code xsi/directories/Enterprise@start=1001.status=403} be written as it reads: Properties would end the
     * key at its first {@code =}, so the {@code =} and {@code :} of the query part are escaped before loading.
     */
    static String escapeQueryKeys(String text) {
        return QUERY_SETTING_LINE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + m.group(2).replaceAll("(?<!\\\\)([=:])", "\\\\$1")));
    }

    /**
     * backend.properties as {@link Properties#store} wrote it, with the {@code =} and {@code :} it escaped in the
     * query part of a key ({@code xsi/directories/Enterprise@start\=1001.status=403}) written plainly again, as
     * people write them ({@link #escapeQueryKeys} reads both).
     */
    public static String plainQueryKeys(String text) {
        return STORED_QUERY_SETTING_LINE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1).replaceAll("\\\\([=:])", "$1")));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
