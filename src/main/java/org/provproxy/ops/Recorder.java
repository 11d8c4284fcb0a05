package org.provproxy.ops;

import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.Tenants;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Record mode: each walk of a user listed in {@code provisioning.record.users} becomes a new sample folder (the
 * request, the XSI and DMS documents as received, the answer), safe to commit and replayed as a regression test.
 * Every secret is replaced by a fixed placeholder, the same one wherever the same secret occurs, so the folder
 * still replays: the portal password in the request and in backend.properties, the device password in
 * Device.xml and backend.properties, SIP passwords in the device file and in the expected account. Tokens become
 * token.* keys and {@code ${token}}; the DMS address becomes {@code ${backend}}. Authorization values are never
 * seen here at all.
 */
@Component("recorder")
public class Recorder {

    static final String PORTAL_PASSWORD = "x-recorded-portal-password";
    static final String DEVICE_PASSWORD = "x-recorded-device-password";
    static final String SIP_PASSWORD = "x-recorded-sip-password";
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    /** An element whose name ends in password, secret, token or passcode (any case), with its text. */
    private static final Pattern SECRET_ELEMENT = Pattern.compile(
            "<((?:[\\w.-]+:)?[\\w.-]*(?i:password|secret|token|passcode))(\\s[^>]*)?>[^<]*</\\1>");
    private static final Pattern DEVICE_TYPE_URL = Pattern.compile(
            "<((?:[\\w.-]+:)?deviceTypeUrl)>\\s*(https?://[^/<\\s]+)(/[^<]*?)\\s*</\\1>");
    private static final Pattern TOKEN_ELEMENT = Pattern.compile("<X-xsi-token>[^<]*</X-xsi-token>");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ProvisioningProperties properties;
    private final Tenants tenants;

    public Recorder(ProvisioningProperties properties, Tenants tenants) {
        this.properties = properties;
        this.tenants = tenants;
    }

    /** After the request is read, before the app's parameters are dropped: starts recording a listed user. */
    public void start(Exchange exchange) {
        String userId = exchange.getProperty("userId", String.class);
        if (userId == null || properties.getRecord().getUsers().stream().noneMatch(u -> u.equalsIgnoreCase(userId)
                || u.equalsIgnoreCase(userId.contains("@") ? userId.substring(0, userId.indexOf('@')) : userId))) {
            return;
        }
        Message in = exchange.getMessage();
        Map<String, String> request = new TreeMap<>();
        request.put("method", in.getHeader(Exchange.HTTP_METHOD, "GET", String.class));
        request.put("path", URI.create(in.getHeader(Exchange.HTTP_URL, "/", String.class)).getPath());
        for (String name : new String[] {"username", "cloud_username", "cloud_id", "fullcode", "platform", "locale"}) {
            String value = in.getHeader(name, String.class);
            if (value != null) {
                request.put("param." + name, value);
            }
        }
        for (String name : new String[] {"password", "cloud_password"}) {
            if (in.getHeader(name) != null) {
                request.put("param." + name, PORTAL_PASSWORD);
            }
        }
        if (exchange.getProperty("token") != null) {
            request.put("token.tenant", exchange.getProperty("tenant", String.class));
            request.put("token.user", userId);
            request.put("token.password", PORTAL_PASSWORD);
        }
        String language = in.getHeader("Accept-Language", String.class);
        if (language != null) {
            request.put("header.Accept-Language", language);
        }
        exchange.setProperty("recording", new Recording(request));
    }

    /** After an XSI or DMS answer (status, Content-Type and body on the message): keeps it, secrets replaced. */
    public void backendAnswer(Exchange exchange) {
        Recording recording = exchange.getProperty("recording", Recording.class);
        if (recording == null) {
            return;
        }
        Message message = exchange.getMessage();
        String key = exchange.getProperty("backendKey", "", String.class);
        String resource;
        String text = new String(message.getBody(byte[].class), StandardCharsets.ISO_8859_1);
        if (key.startsWith("dms|")) {
            resource = dmsResource(URI.create(exchange.getProperty("deviceFileUrl", String.class)).getPath());
            recording.device(exchange.getProperty("deviceUser", String.class));
            text = mask(text, SIP_PASSWORD);
        } else {
            resource = "xsi/" + exchange.getProperty("xsiResource", String.class);
            text = mask(text, DEVICE_PASSWORD);
            text = rewrite(DEVICE_TYPE_URL, text, m -> "<" + m.group(1) + ">" + SampleCase.BACKEND_PLACEHOLDER + "/"
                    + dmsResource(m.group(3)) + "</" + m.group(1) + ">");
        }
        recording.answers.put(resource, new SampleCase.Answer(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0,
                Integer.class), message.getHeader(Exchange.CONTENT_TYPE, String.class),
                text.getBytes(StandardCharsets.ISO_8859_1), 0, null));
    }

    /** When the answer is ready (any status): writes the folder. */
    public void finish(Exchange exchange) {
        Recording recording = exchange.getProperty("recording", Recording.class);
        if (recording == null || !recording.finished.compareAndSet(false, true)) {
            return;
        }
        try {
            write(exchange, recording);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not record the walk of user {}: {}", exchange.getProperty("userId"), e.toString());
        }
    }

    private void write(Exchange exchange, Recording recording) throws IOException {
        String userId = exchange.getProperty("userId", String.class);
        String user = userId.contains("@") ? userId.substring(0, userId.indexOf('@')) : userId;
        Path folder = Path.of(properties.getRecord().getDir()).resolve("recorded-" + LocalDateTime.now().format(STAMP)
                + "-" + user.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT) + "-"
                + SEQUENCE.incrementAndGet());
        Files.createDirectories(folder);
        store(folder.resolve("request.properties"), recording.request,
                "Recorded " + LocalDateTime.now() + " by record mode; secrets replaced by placeholders");

        Map<String, String> backend = new TreeMap<>();
        backend.put("xsi.user", userId);
        backend.put("xsi.password", PORTAL_PASSWORD);
        if (recording.deviceUser != null) {
            backend.put("dms.user", recording.deviceUser);
            backend.put("dms.password", DEVICE_PASSWORD);
            backend.put("dms.auth", tenants.settingsOf(exchange.getProperty("tenant", String.class)).isUseDigestAuth()
                    ? "digest" : "basic");
        }
        for (Map.Entry<String, SampleCase.Answer> answer : recording.answers.entrySet()) {
            SampleCase.Answer recorded = answer.getValue();
            String resource = answer.getKey();
            if (recorded.status() != 200) {
                backend.put(resource + ".status", String.valueOf(recorded.status()));
            }
            if (recorded.contentType() != null && !recorded.contentType().equals(SampleCase.contentType(recorded.body()))) {
                backend.put(resource + ".content-type", recorded.contentType());
            }
            if (recorded.body().length > 0) {
                Path file = folder.resolve("backend").resolve(resource.startsWith("xsi/") ? resource + ".xml" : resource);
                Files.createDirectories(file.getParent());
                Files.write(file, recorded.body());
            }
        }
        store(folder.resolve("backend.properties"), backend, "How the XSI/DMS stand-in answers (see samples/README.md)");

        Message reply = exchange.getMessage();
        int status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        Map<String, String> expected = new TreeMap<>();
        expected.put("status", String.valueOf(status));
        if (reply.getHeader("Retry-After") != null) {
            expected.put("header.Retry-After", reply.getHeader("Retry-After", String.class));
        }
        store(folder.resolve("expected.properties"), expected, null);
        byte[] body = reply.getBody(byte[].class);
        if (body != null && body.length > 0) {
            String answer = mask(new String(body, StandardCharsets.UTF_8), SIP_PASSWORD);
            answer = TOKEN_ELEMENT.matcher(answer).replaceAll("<X-xsi-token>\\${token}</X-xsi-token>");
            String base = exchange.getProperty("requestBaseUrl", String.class);
            if (base != null) {
                answer = answer.replace(base + "/provisioning/", "${proxy}/provisioning/");
            }
            Files.writeString(folder.resolve("expected.xml"), answer, StandardCharsets.UTF_8);
        }
        LOG.info("recorded the walk of user {} as {}", userId, folder);
    }

    /** A DMS URL path as a sample resource: dms/<path below /dms/>. */
    static String dmsResource(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.startsWith("dms/") ? trimmed : "dms/" + trimmed;
    }

    static String mask(String text, String placeholder) {
        return rewrite(SECRET_ELEMENT, text, m -> "<" + m.group(1) + (m.group(2) == null ? "" : m.group(2)) + ">"
                + placeholder + "</" + m.group(1) + ">");
    }

    private static String rewrite(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        return m.appendTail(out).toString();
    }

    private static void store(Path file, Map<String, String> values, String comment) throws IOException {
        // sorted keys, so a recorded folder reads (and diffs) well
        Properties properties = new Properties() {
            @Override
            public synchronized java.util.Set<Map.Entry<Object, Object>> entrySet() {
                Map<Object, Object> sorted = new TreeMap<>();
                super.entrySet().forEach(e -> sorted.put(e.getKey(), e.getValue()));
                return java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>(sorted.entrySet()));
            }
        };
        properties.putAll(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, comment);
        }
    }

    /** What one walk brought, collected from the walk's parallel branches. */
    static final class Recording {
        final Map<String, String> request;
        final Map<String, SampleCase.Answer> answers = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        volatile String deviceUser;

        Recording(Map<String, String> request) {
            this.request = request;
        }

        void device(String user) {
            deviceUser = user;
        }
    }
}
