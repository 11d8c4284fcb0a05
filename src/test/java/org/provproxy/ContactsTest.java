package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.contacts.Directories;
import org.provproxy.backend.BackendCache;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The contacts web service against a stand-in XSI: which directory a subscriber gets, paging, sharing one
 * directory per enterprise (single flight), 304, the tenant's directory credentials, and what XSI trouble does.
 * The sample folders (samples/contacts-*) hold the shapes; these hold what samples cannot say.
 */
class ContactsTest extends ProxyTestSupport {

    private static final String USER = "/xsi/com.broadsoft.xsi-actions/v2.0/user/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Directories directories;

    @Autowired
    BackendCache backendCache;

    @BeforeEach
    void reset() {
        BACKEND.server().resetAll();
        directories.clear();
        backendCache.clear();
        BACKEND.server().stubFor(any(urlPathMatching("/xsi/.*")).atPriority(9).willReturn(aResponse().withStatus(401)));
    }

    @Test
    void anEnterpriseUserGetsTheEnterpriseDirectoryAsContacts() throws Exception {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 2, 2,
                entry("bob@acme.example", "Bob", "Builder", "+12025550101", "101",
                        "<mobile>+1 202 555 0199</mobile><emailAddress>bob@acme.example</emailAddress>"
                                + "<title>Engineer</title><department>R&amp;D</department>"),
                entry("carol@acme.example", "Carol", "Smith", null, "102", ""));

        HttpResponse<byte[]> answer = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/json")
                .containsIgnoringCase("charset=UTF-8");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
        assertThat(answer.headers().firstValue("ETag")).get().asString().matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(answer.headers().firstValue("Last-Modified")).get().asString().endsWith(" GMT");
        JsonNode contacts = JSON.readTree(answer.body());
        assertThat(contacts.isArray()).isTrue();
        assertThat(contacts).hasSize(2);
        JsonNode bob = contacts.get(0);
        assertThat(bob.get("contactId").asText()).isEqualTo("bob@acme.example");
        assertThat(bob.get("displayName").asText()).isEqualTo("Bob Builder");
        assertThat(bob.get("fname").asText()).isEqualTo("Bob");
        assertThat(bob.get("lname").asText()).isEqualTo("Builder");
        assertThat(bob.get("jobTitle").asText()).isEqualTo("Engineer");
        assertThat(bob.get("departmentName").asText()).isEqualTo("R&D");
        assertThat(bob.get("contactEntries").toString()).isEqualTo("[{\"entryId\":\"work\",\"label\":\"work\","
                + "\"type\":\"tel\",\"uri\":\"+12025550101\"},{\"entryId\":\"extension\",\"label\":\"extension\","
                + "\"type\":\"tel\",\"uri\":\"101\"},{\"entryId\":\"mobile\",\"label\":\"mobile\",\"type\":\"tel\","
                + "\"uri\":\"+12025550199\"},{\"entryId\":\"email\",\"label\":\"email\",\"type\":\"email\","
                + "\"uri\":\"bob@acme.example\"}]");
        assertThat(contacts.get(1).get("contactEntries")).hasSize(1);
        assertThat(contacts.get(1).get("company").asText()).isEmpty();
        BACKEND.server().verify(1, getRequestedFor(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .withQueryParam("start", equalTo("1")).withQueryParam("results", equalTo("1000")));
        BACKEND.server().verify(0, getRequestedFor(urlPathEqualTo(USER + "alice@acme.example/directories/Group")));
    }

    @Test
    void anAppTakingGzipGetsTheSameContactsCompressed() throws Exception {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 200, 200,
                IntStream.range(0, 200).mapToObj(i -> entry("u" + i + "@acme.example", "J\u00fcrgen", "M\u00fcller",
                        "+1202555" + (1000 + i), "" + i, "<department>Sales</department>")).toArray(String[]::new));

        HttpResponse<byte[]> plain = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());
        HttpResponse<byte[]> zipped = contacts("cached", "alice@acme.example", "x-fake-portal-alice",
                Map.of("Accept-Encoding", "br;q=1.0, gzip;q=0.8"));
        HttpResponse<byte[]> refused = contacts("cached", "alice@acme.example", "x-fake-portal-alice",
                Map.of("Accept-Encoding", "gzip;q=0, identity"));

        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(plain.body().length / 5);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(zipped.headers().firstValue("ETag")).isEqualTo(plain.headers().firstValue("ETag"));
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.body()).isEqualTo(plain.body());
    }

    @Test
    void aUserOutsideAnEnterpriseGetsTheGroupDirectory() throws Exception {
        user("dave@acme.example", "x-fake-portal-dave", "sp1", false, "grp9");
        page("dave@acme.example", "x-fake-portal-dave", "Group", 1, 1, 1, entry("erin@acme.example", "Erin", "Ek",
                "+12025550111", "111", ""));

        HttpResponse<byte[]> answer = contacts("cached", "dave@acme.example", "x-fake-portal-dave", Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get(0).get("contactId").asText()).isEqualTo("erin@acme.example");
    }

    @Test
    void everyPageIsFetchedAndTheContactsKeepTheDirectorysOrder() throws Exception {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        // XSI serves 400 a page, whatever was asked for
        for (int start = 1; start <= 1000; start += 400) {
            int count = Math.min(400, 1000 - start + 1);
            int first = start;
            page("alice@acme.example", "x-fake-portal-alice", "Enterprise", start, count, 1000,
                    IntStream.range(first, first + count).mapToObj(i -> entry("u" + i + "@acme.example", "U", "" + i,
                            null, "" + i, "")).toArray(String[]::new));
        }

        HttpResponse<byte[]> answer = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        JsonNode contacts = JSON.readTree(answer.body());
        assertThat(contacts).hasSize(1000);
        assertThat(contacts.get(0).get("contactId").asText()).isEqualTo("u1@acme.example");
        assertThat(contacts.get(999).get("contactId").asText()).isEqualTo("u1000@acme.example");
        List<String> starts = directoryRequests("alice@acme.example").stream()
                .map(r -> r.queryParameter("start").firstValue()).sorted().toList();
        assertThat(starts).containsExactly("1", "401", "801");
    }

    @Test
    void oneDirectoryPerEnterpriseIsWalkedOnceAndSharedByItsUsers() throws Exception {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        user("bob@acme.example", "x-fake-portal-bob", "ent1", true, "grp2");
        user("zed@acme.example", "x-fake-portal-zed", "ent2", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 1, 1,
                entry("bob@acme.example", "Bob", "B", null, "1", ""));
        page("bob@acme.example", "x-fake-portal-bob", "Enterprise", 1, 1, 1,
                entry("bob@acme.example", "Bob", "B", null, "1", ""));
        page("zed@acme.example", "x-fake-portal-zed", "Enterprise", 1, 1, 1,
                entry("yves@other.example", "Yves", "Other", null, "9", ""));
        BACKEND.server().stubFor(get(urlPathMatching(USER + "alice@acme.example/directories/Enterprise"))
                .withBasicAuth("alice@acme.example", "x-fake-portal-alice").atPriority(1)
                .willReturn(aResponse().withFixedDelay(300).withHeader("Content-Type", "application/xml")
                        .withBody(pageXml("Enterprise", 1, 1, 1, entry("bob@acme.example", "Bob", "B", null, "1", "")))));

        List<CompletableFuture<HttpResponse<byte[]>>> burst = IntStream.range(0, 8).mapToObj(i ->
                CompletableFuture.supplyAsync(() -> contacts("cached", "alice@acme.example", "x-fake-portal-alice",
                        Map.of()))).toList();
        burst.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        HttpResponse<byte[]> bobs = contacts("cached", "bob@acme.example", "x-fake-portal-bob", Map.of());
        HttpResponse<byte[]> zeds = contacts("cached", "zed@acme.example", "x-fake-portal-zed", Map.of());

        assertThat(directoryRequests("alice@acme.example")).hasSize(1);
        assertThat(directoryRequests("bob@acme.example")).as("bob's enterprise was walked already").isEmpty();
        assertThat(bobs.headers().firstValue("ETag")).isEqualTo(burst.get(0).join().headers().firstValue("ETag"));
        assertThat(body(zeds)).as("another enterprise, its own directory").contains("yves@other.example")
                .doesNotContain("bob@acme.example");
        assertThat(directoryRequests("zed@acme.example")).hasSize(1);
    }

    @Test
    void anUnchangedDirectoryIsAnswered304() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 1, 1,
                entry("bob@acme.example", "Bob", "B", null, "1", ""));
        HttpResponse<byte[]> first = contacts("acme", "alice@acme.example", "x-fake-portal-alice", Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

        // acme keeps no directory: each request walks it again, and finds it unchanged
        HttpResponse<byte[]> byTag = contacts("acme", "alice@acme.example", "x-fake-portal-alice",
                Map.of("If-None-Match", etag));
        HttpResponse<byte[]> byDate = contacts("acme", "alice@acme.example", "x-fake-portal-alice",
                Map.of("If-Modified-Since", lastModified));
        HttpResponse<byte[]> otherTag = contacts("acme", "alice@acme.example", "x-fake-portal-alice",
                Map.of("If-None-Match", "\"something-else\""));

        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.headers().firstValue("ETag")).hasValue(etag);
        assertThat(byDate.statusCode()).isEqualTo(304);
        assertThat(byDate.headers().firstValue("Last-Modified")).hasValue(lastModified);
        assertThat(otherTag.statusCode()).isEqualTo(200);
        assertThat(directoryRequests("alice@acme.example")).hasSize(4);
    }

    @Test
    void aDirectoryNotAvailableToTheUserIsAnEmptyList() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .atPriority(1).willReturn(aResponse().withStatus(403)));

        HttpResponse<byte[]> answer = contacts("acme", "alice@acme.example", "x-fake-portal-alice", Map.of());

        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(body(answer)).isEqualTo("[]");
    }

    @Test
    void theTenantsDirectoryCredentialsReadTheDirectoryAndTheirRefusalLogsNobodyOut() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .withBasicAuth("directory-admin@acme.example", "x-fake-directory-admin").atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(pageXml("Enterprise",
                        1, 1, 1, entry("bob@acme.example", "Bob", "B", null, "1", "")))));

        HttpResponse<byte[]> answer = contacts("dirco", "alice@acme.example", "x-fake-portal-alice", Map.of());
        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        assertThat(body(answer)).contains("bob@acme.example");
        // the subscriber's own credentials read the profile; the directory only with the tenant's
        BACKEND.server().verify(1, getRequestedFor(urlPathEqualTo(USER + "alice@acme.example/profile"))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("alice@acme.example",
                        "x-fake-portal-alice")));

        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .atPriority(1).willReturn(aResponse().withStatus(401)));
        directories.clear();
        HttpResponse<byte[]> refused = contacts("dirco", "alice@acme.example", "x-fake-portal-alice", Map.of());
        assertThat(refused.statusCode()).as("the operator's credentials are wrong, not the subscriber's")
                .isEqualTo(503);
        assertThat(body(refused)).startsWith("<error><message>");
    }

    @Test
    void whileXsiFailsTheLastDirectoryReadIsServed() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 1, 1,
                entry("bob@acme.example", "Bob", "B", null, "1", ""));
        HttpResponse<byte[]> first = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());
        assertThat(first.statusCode()).isEqualTo(200);

        // the directory's time is up and XSI fails
        directories.expireAll();
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .atPriority(1).willReturn(aResponse().withStatus(503)));
        HttpResponse<byte[]> later = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());

        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).isEqualTo(first.body());
        assertThat(later.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
    }

    @Test
    void whileOneRequestReadsTheDirectoryAnewTheOthersGetTheOneReadBefore() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");
        page("alice@acme.example", "x-fake-portal-alice", "Enterprise", 1, 1, 1,
                entry("bob@acme.example", "Bob", "B", null, "1", ""));
        HttpResponse<byte[]> first = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());
        assertThat(first.statusCode()).isEqualTo(200);

        // the directory's time is up, and XSI now takes 800 ms to answer a changed one
        directories.expireAll();
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "alice@acme.example/directories/Enterprise"))
                .atPriority(1).willReturn(aResponse().withFixedDelay(800).withHeader("Content-Type", "application/xml")
                        .withBody(pageXml("Enterprise", 1, 1, 1, entry("carol@acme.example", "Carol", "C", null, "2",
                                "")))));
        CompletableFuture<HttpResponse<byte[]>> walking = CompletableFuture.supplyAsync(() ->
                contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of()));
        org.awaitility.Awaitility.await().until(() -> directoryRequests("alice@acme.example").size() == 2);
        long start = System.nanoTime();
        HttpResponse<byte[]> meanwhile = contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of());
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(body(meanwhile)).as("answered from the directory read before, after %d ms", waitedMs)
                .contains("bob@acme.example");
        assertThat(body(walking.join())).contains("carol@acme.example");
        assertThat(body(contacts("cached", "alice@acme.example", "x-fake-portal-alice", Map.of())))
                .contains("carol@acme.example");
        assertThat(directoryRequests("alice@acme.example")).hasSize(2);
    }

    @Test
    void wrongCredentialsInTheTokenAnswerTheLogoutStatus() {
        user("alice@acme.example", "x-fake-portal-alice", "ent1", true, "grp1");

        HttpResponse<byte[]> answer = contacts("acme", "alice@acme.example", "x-fake-portal-old", Map.of());

        assertThat(answer.statusCode()).isEqualTo(410);
        assertThat(body(answer)).startsWith("<error><message>");
        assertThat(directoryRequests("alice@acme.example")).isEmpty();
    }

    private HttpResponse<byte[]> contacts(String tenant, String userId, String password, Map<String, String> headers) {
        String token = tokens.seal(new AccountToken(tenant, userId, password,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), "", null));
        return proxy().send("GET", "/services/contacts", Map.of("token", token), headers);
    }

    private static void user(String userId, String password, String enterprise, boolean isEnterprise, String group) {
        String profile = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Profile xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<details><userId>" + userId + "</userId><firstName>F</firstName><lastName>L</lastName>"
                + "<groupId>" + group + "</groupId><serviceProvider isEnterprise=\"" + isEnterprise + "\">" + enterprise
                + "</serviceProvider></details></Profile>";
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + userId + "/profile")).withBasicAuth(userId, password)
                .atPriority(1).willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(profile)));
    }

    private static void page(String userId, String password, String kind, int start, int count, int total,
                             String... entries) {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + userId + "/directories/" + kind))
                .withQueryParam("start", equalTo(String.valueOf(start)))
                .withBasicAuth(userId, password).atPriority(2)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml")
                        .withBody(pageXml(kind, start, count, total, entries))));
    }

    private static String pageXml(String kind, int start, int count, int total, String... entries) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + kind + " xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<startIndex>" + start + "</startIndex><numberOfRecords>" + count + "</numberOfRecords>"
                + "<totalAvailableRecords>" + total + " </totalAvailableRecords><" + kind.toLowerCase() + "Directory>"
                + String.join("", entries) + "</" + kind.toLowerCase() + "Directory></" + kind + ">";
    }

    private static String entry(String userId, String first, String last, String number, String extension,
                                String additional) {
        return "<directoryDetails><userId>" + userId + "</userId><firstName>" + first + "</firstName><lastName>" + last
                + "</lastName><groupId>grp1</groupId>" + (number != null ? "<number>" + number + "</number>" : "")
                + "<extension>" + extension + "</extension><additionalDetails>" + additional
                + "</additionalDetails></directoryDetails>";
    }

    private static List<com.github.tomakehurst.wiremock.verification.LoggedRequest> directoryRequests(String userId) {
        return BACKEND.server().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().startsWith(USER + userId + "/directories/")).toList();
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
