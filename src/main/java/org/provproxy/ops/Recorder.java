package org.provproxy.ops;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * <p>
 * A contacts request is recorded too: the profile and every page of the directory, each page under its
 * {@code start} ({@code xsi/directories/Group@start=1001}), and the answer as expected.json. Such a request walks
 * its directory itself rather than take the shared one (routes/reply/answer-contacts.yaml), so the pages are
 * there; a 304 is recorded as a primed request sending the first answer's validator.
 */
@Component("recorder")
public class Recorder {

    static final String PORTAL_PASSWORD = "x-recorded-portal-password";
    static final String DEVICE_PASSWORD = "x-recorded-device-password";
    static final String SIP_PASSWORD = "x-recorded-sip-password";
    /** The query parameter that tells a directory's pages apart. */
    private static final String PAGE_START = "start";
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    /** An element whose name ends in password, secret, token or passcode (any case), with its text. */
    private static final Pattern SECRET_ELEMENT = Pattern.compile(
            "<((?:[\\w.-]+:)?[\\w.-]*(?i:password|secret|token|passcode))(\\s[^>]*)?>[^<]*</\\1>");
    private static final Pattern DEVICE_TYPE_URL = Pattern.compile(
            "<((?:[\\w.-]+:)?deviceTypeUrl)>\\s*(https?://[^/<\\s]+)(/[^<]*?)\\s*</\\1>");
    private static final Pattern TOKEN_ELEMENT = Pattern.compile("<X-xsi-token>[^<]*</X-xsi-token>");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON laid out as the hand-written samples are: two spaces, {@code "key": value}, {@code []} when empty. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private final ProvisioningProperties properties;

    public Recorder(ProvisioningProperties properties) {
        this.properties = properties;
    }

    /**
     * Before a walk (for contacts, before the answer: the profile is read before the directory is walked): a
     * recording for a listed user (none otherwise, and none for explain); the one started already when a walk is
     * part of a recorded request (a contacts request's directory walk). The request is recorded as the sign-in
     * resolved it: the full user id, the tenant's Cloud ID, the platform (not for contacts, which take none), the
     * language.
     */
    public Recording start(@Variable("recording") Recording started, @Variable("caller") Caller caller,
                           @Variable("signIn") SignIn signIn) {
        if (started != null) {
            return started;
        }
        String userId = signIn.userId();
        // a voicemail list is no sample of this format: its audio links are sealed anew for each answer
        if (signIn.kind() == RequestKind.EXPLAIN || signIn.kind() == RequestKind.VOICEMAIL
                || properties.getRecord().getUsers().stream()
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
        if (signIn.kind() != RequestKind.CONTACTS) {
            request.put("param.platform", signIn.platform());
        }
        if (!Locale.ENGLISH.getLanguage().equals(caller.locale().getLanguage())) {
            request.put("param.locale", caller.locale().toLanguageTag());
        }
        return new Recording(request);
    }

    /**
     * After an XSI or DMS answer: keeps it, secrets replaced. A directory page is kept under its {@code start}
     * ({@code xsi/directories/Group@start=1001}): the pages of one directory are one resource asked with another
     * query each.
     */
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
            resource = SampleCase.ResourceName.answering("xsi/" + call.resource(), call.query(), PAGE_START)
                    .toString();
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
        int status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        boolean contacts = signIn.kind() == RequestKind.CONTACTS;
        Map<String, String> request = new TreeMap<>(recording.request);
        Map<String, String> expected = new TreeMap<>();
        expected.put("status", String.valueOf(status));
        if (contacts && status == 304) {
            // the app's validator named the directory it holds: replayed as a first request whose ETag (or
            // Last-Modified) the second one sends, to the same recorded directory
            request.put("prime", "true");
            if (caller.ifNoneMatch() != null) {
                request.put("header.If-None-Match", "${etag}");
                expected.put("header.ETag", "${etag}");
            } else {
                request.put("header.If-Modified-Since", "${last-modified}");
            }
        }
        store(folder.resolve("request.properties"), request,
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

        if (reply.getHeader("Retry-After") != null) {
            expected.put("header.Retry-After", reply.getHeader("Retry-After", String.class));
        }
        store(folder.resolve("expected.properties"), expected, null);
        byte[] body = reply.getBody(byte[].class);
        if (contacts && status == 200 && body != null && body.length > 0) {
            // the contacts JSON as answered (unzipped when the app took gzip), pretty-printed to read and diff
            Files.write(folder.resolve("expected.json"), prettyJson(gunzipped(body)));
        } else if (body != null && body.length > 0) {
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

    /** The body, decompressed when it is gzip (the directory's gzip copy, sent to an app that takes it). */
    private static byte[] gunzipped(byte[] body) throws IOException {
        if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** JSON indented, values as they are (UTF-8); the bytes as they are if they do not parse. */
    private static byte[] prettyJson(byte[] json) {
        try {
            String pretty = JSON.writer(PRETTY).writeValueAsString(JSON.readTree(json));
            return (pretty + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return json;
        }
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        properties.store(out, comment);
        // xsi/directories/Group@start=1001.status=403 as samples write it, without Properties' backslashes
        Files.writeString(file, SampleCase.plainQueryKeys(out.toString(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
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
