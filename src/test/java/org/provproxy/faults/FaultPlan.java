package org.provproxy.faults;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.account.AccountTokens;
import org.provproxy.account.AccountVersions;
import org.provproxy.faults.BackendUser.Resource;
import org.provproxy.ops.SampleCase;
import org.provproxy.shaping.Shaped;

/**
 * The requests of a run, drawn from a {@link Random} with a fixed seed: endpoint (initial provisioning,
 * re-provisioning with a sealed token, with or without If-None-Match, global provisioning with credentials or a
 * token), tenant ({@code acme}: Digest DMS, logout 410; {@code basicco}: Basic DMS, logout 419, also when the
 * device was removed), GET or POST, and the fault with the resource it hits. Each request has a user of its own,
 * made from a recorded sample ({@code mobile-three-devices} for accounts, {@code global-monitored-users} for global
 * provisioning) with its own user id, DMS folder and secrets, so a request's fate never depends on another's
 * caches and every secret in the log names its request.
 */
final class FaultPlan {

    enum Endpoint {
        ACCOUNT("/provisioning/account"),
        REFRESH("/provisioning/account/refresh"),
        GLOBAL("/provisioning/global");

        final String path;

        Endpoint(String path) {
            this.path = path;
        }
    }

    static final Map<String, String> DOMAINS = Map.of("acme", "acme.example", "basicco", "basic.example");
    static final Map<String, Integer> LOGOUT_STATUS = Map.of("acme", 410, "basicco", 419);
    /** Every secret of the samples ({@code x-fake-...}), made personal: {@code x-fault-<index>-<salt>-...}. */
    private static final Pattern SAMPLE_SECRET = Pattern.compile("x-fake-([A-Za-z0-9-]*[A-Za-z0-9])");
    private static final Pattern SIP_PASSWORD = Pattern.compile("<password>([^<]+)</password>");

    /** One request of the run and everything needed to judge its answer. */
    record Call(int index, Endpoint endpoint, boolean byToken, boolean post, BackendUser user, String token,
                String ifNoneMatch) {

        Fault fault() {
            return user.fault();
        }

        String requestId() {
            return "fault-%04d-%s".formatted(index, fault().code());
        }

        int logoutStatus() {
            return LOGOUT_STATUS.get(user.tenant());
        }

        /** e.g. {@code refresh+If-None-Match}, {@code global+token}. */
        String label() {
            return endpoint.name().toLowerCase(Locale.ROOT) + (endpoint == Endpoint.GLOBAL && byToken ? "+token" : "")
                    + (ifNoneMatch != null ? "+If-None-Match" : "");
        }

        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            if (byToken) {
                params.put("token", token);
            } else {
                params.put(post ? "cloud_username" : "username", user.userId());
                params.put(post ? "cloud_password" : "password", user.portalPassword());
                params.put("cloud_id", user.tenant());
            }
            params.put("platform", "mobile");
            params.put("locale", "en-us");
            return params;
        }
    }

    private final SampleCase accountSample;
    private final SampleCase globalSample;
    private final Map<String, SampleCase.Answer> accountResources;
    private final Map<String, SampleCase.Answer> globalResources;
    private final String expectedAccount;
    private final AccountTokens tokens;
    private final Map<String, String> globalEtags;

    /**
     * {@code globalEtags}: the ETag of the global answer by tenant (the same for every user made from the global
     * sample), as the preflight saw it; needed only for global calls with a validator.
     */
    FaultPlan(SampleCase accountSample, SampleCase globalSample, String baseUrl, AccountTokens tokens,
              Map<String, String> globalEtags) {
        this.accountSample = accountSample;
        this.globalSample = globalSample;
        this.accountResources = accountSample.resources(baseUrl);
        this.globalResources = globalSample.resources(baseUrl);
        this.expectedAccount = read(accountSample.expectedBody());
        this.tokens = tokens;
        this.globalEtags = globalEtags;
    }

    /** {@code count} requests from {@code firstIndex} on, their faults drawn by weight from {@code kinds}. */
    List<Call> mixed(Random random, int firstIndex, int count, Set<Fault> kinds) {
        int total = 0;
        for (Fault fault : kinds) {
            total += fault.weight();
        }
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(total);
            Fault chosen = Fault.NONE;
            for (Fault fault : kinds) {
                if (pick < fault.weight()) {
                    chosen = fault;
                    break;
                }
                pick -= fault.weight();
            }
            calls.add(call(firstIndex + i, random, chosen));
        }
        return calls;
    }

    /** {@code count} requests whose backend is healthy ({@link Fault#NONE} or {@link Fault#BACKEND_RESTART}). */
    List<Call> healthy(Random random, int firstIndex, int count, Fault kind) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(call(firstIndex + i, random, kind));
        }
        return calls;
    }

    /** A request with {@code fault}, endpoint and variant drawn from {@code random}. */
    Call call(int index, Random random, Fault fault) {
        double endpoint = random.nextDouble();
        Endpoint chosen = endpoint < 0.35 ? Endpoint.ACCOUNT : endpoint < 0.75 ? Endpoint.REFRESH : Endpoint.GLOBAL;
        String tenant = random.nextBoolean() ? "acme" : "basicco";
        boolean byToken = chosen == Endpoint.REFRESH || (chosen == Endpoint.GLOBAL && random.nextBoolean());
        boolean validator = byToken && random.nextBoolean();
        return call(index, random, fault, chosen, tenant, byToken, validator, random.nextBoolean());
    }

    /** A request exactly as given; {@code random} only salts the user's secrets and picks the faulty resource. */
    Call call(int index, Random random, Fault fault, Endpoint endpoint, String tenant, boolean byToken,
              boolean validator, boolean post) {
        boolean global = endpoint == Endpoint.GLOBAL;
        SampleCase sample = global ? globalSample : accountSample;
        String local = "u%04d".formatted(index);
        String userId = local + "@" + DOMAINS.get(tenant);
        String salt = "%06x".formatted(random.nextInt(1 << 24));
        String sampleUser = sample.backend("xsi.user");
        UnaryOperator<String> personal = text -> SAMPLE_SECRET.matcher(
                text.replace(sampleUser, userId).replace("/dms/", "/dms/" + local + "-"))
                .replaceAll(m -> "x-fault-%04d-%s-%s".formatted(index, salt, m.group(1)));

        Map<String, Resource> resources = new LinkedHashMap<>();
        for (Map.Entry<String, SampleCase.Answer> entry : (global ? globalResources : accountResources).entrySet()) {
            String name = entry.getKey().startsWith("dms/") ? "dms/" + local + "-" + entry.getKey().substring(4)
                    : entry.getKey();
            SampleCase.Answer answer = entry.getValue();
            resources.put(name, new Resource(answer.status(), answer.contentType(),
                    personal.apply(new String(answer.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        }
        String target = null;
        if (fault != Fault.NONE && fault != Fault.BACKEND_RESTART) {
            List<String> candidates = resources.entrySet().stream()
                    // the sample's directories (contacts, call history) are served, but no provisioning request reads
                    // them: a fault there would never be met
                    .filter(e -> !e.getKey().contains("directories/"))
                    .filter(e -> !fault.needsDocument() || (e.getValue().status() == 200 && e.getValue().body().length > 0))
                    .map(Map.Entry::getKey).sorted().toList();
            target = candidates.get(random.nextInt(candidates.size()));
        }
        String expected = global ? null : personal.apply(expectedAccount);
        String sipPassword = null;
        if (expected != null) {
            Matcher sip = SIP_PASSWORD.matcher(expected);
            sipPassword = sip.find() ? sip.group(1) : null;
        }
        String dmsUser = sample.backend("dms.user") != null ? sample.backend("dms.user") : "no-dms";
        String dmsPassword = personal.apply(sample.backend("dms.password") != null ? sample.backend("dms.password")
                : "x-fake-no-dms");
        BackendUser user = new BackendUser(index, tenant, userId, personal.apply(sample.backend("xsi.password")),
                dmsUser, dmsPassword, "acme".equals(tenant), sipPassword, resources, fault, target);

        String hash = expected == null ? "" : Shaped.contentHash(parse(expected));
        String token = byToken ? tokens.seal(new AccountToken(tenant, userId, user.portalPassword(),
                Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS), hash, null)) : null;
        String ifNoneMatch = !validator ? null : global ? globalEtags.get(tenant) : AccountVersions.etag(hash);
        return new Call(index, endpoint, byToken, post, user, token, ifNoneMatch);
    }

    private static XdmNode parse(String xml) {
        try {
            return new Processor(false).newDocumentBuilder().build(new StreamSource(new StringReader(xml)));
        } catch (SaxonApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
