package org.provproxy.ops;

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
import org.apache.camel.Variable;
import org.provproxy.backend.BackendAnswer;
import org.provproxy.backend.BackendCall;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.Caller;
import org.provproxy.request.RequestKind;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Record mode: each walk of a user listed in {@code provisioning.record.users} becomes a new sample folder (the
 * request, the XSI and DMS documents as received, the answer), safe to commit and replayed as a regression test.
 * Every secret is replaced by a fixed placeholder, the same one wherever the same secret occurs, so the folder
 * still replays: the portal password in the request and in backend.properties, the device password in
 * Device.xml and backend.properties, SIP passwords in the device file and in the expected account. Tokens become
 * token.* keys and {@code ${token}}; the DMS address becomes {@code ${backend}}, the proxy's public URL
 * {@code ${proxy}}. Authorization values are never seen here at all.
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

    public Recorder(ProvisioningProperties properties) {
        this.properties = properties;
    }

    /**
     * Before a walk: a recording for a listed user (none otherwise, and none for explain). The request is
     * recorded as the sign-in resolved it: the full user id, the tenant's Cloud ID, the platform, the language.
     */
    public Recording start(@Variable("caller") Caller caller, @Variable("signIn") SignIn signIn) {
        String userId = signIn.userId();
        // provisioning walks only: a directory's pages are no sample of this format, nor is a voicemail list (its
        // audio links are sealed anew for each answer)
        if (signIn.kind() == RequestKind.EXPLAIN || signIn.kind() == RequestKind.CONTACTS
                || signIn.kind() == RequestKind.VOICEMAIL || properties.getRecord().getUsers().stream()
                .noneMatch(u -> u.equalsIgnoreCase(userId) || u.equalsIgnoreCase(localPart(userId)))) {
            return null;
        }
        Map<String, String> request = new TreeMap<>();
        request.put("method", caller.method());
        request.put("path", caller.path());
        if (signIn.token() != null) {
            request.put("token.tenant", signIn.tenant().key());
            request.put("token.user", userId);
            request.put("token.password", PORTAL_PASSWORD);
        } else {
            request.put("param.username", userId);
            request.put("param.password", PORTAL_PASSWORD);
            request.put("param.cloud_id", signIn.tenant().key());
        }
        request.put("param.platform", signIn.platform());
        if (!Locale.ENGLISH.getLanguage().equals(caller.locale().getLanguage())) {
            request.put("param.locale", caller.locale().toLanguageTag());
        }
        return new Recording(request);
    }

    /** After an XSI or DMS answer: keeps it, secrets replaced. */
    public void backendAnswer(@Variable("recording") Recording recording, @Variable("backendCall") BackendCall call,
                              @Variable("backendAnswer") BackendAnswer answer) {
        if (recording == null) {
            return;
        }
        String resource;
        String text = new String(answer.body() == null ? new byte[0] : answer.body(), StandardCharsets.ISO_8859_1);
        if (call.backend() == BackendCall.Backend.DMS) {
            resource = dmsResource(URI.create(call.url()).getPath());
            recording.device(call.user());
            text = mask(text, SIP_PASSWORD);
        } else {
            resource = "xsi/" + call.resource();
            text = mask(text, DEVICE_PASSWORD);
            text = rewrite(DEVICE_TYPE_URL, text, m -> "<" + m.group(1) + ">" + SampleCase.BACKEND_PLACEHOLDER + "/"
                    + dmsResource(m.group(3)) + "</" + m.group(1) + ">");
        }
        recording.answers.put(resource, new SampleCase.Answer(answer.status(), answer.contentType(),
                text.getBytes(StandardCharsets.ISO_8859_1), 0, null));
    }

    /** When the answer is ready (any status): writes the folder. */
    public void finish(Message reply, @Variable("recording") Recording recording, @Variable("caller") Caller caller,
                       @Variable("signIn") SignIn signIn) {
        if (recording == null || !recording.finished.compareAndSet(false, true)) {
            return;
        }
        try {
            write(reply, recording, caller, signIn);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not record the walk of user {}: {}", signIn.userId(), e.toString());
        }
    }

    private static String localPart(String userId) {
        return userId.contains("@") ? userId.substring(0, userId.indexOf('@')) : userId;
    }

    private void write(Message reply, Recording recording, Caller caller, SignIn signIn) throws IOException {
        String userId = signIn.userId();
        String user = localPart(userId);
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
            backend.put("dms.auth", signIn.tenant().useDigestAuth() ? "digest" : "basic");
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
            String base = caller.baseUrl();
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
    public static final class Recording {
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
