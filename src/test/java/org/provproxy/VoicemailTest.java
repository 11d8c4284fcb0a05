package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.backend.BackendCache;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The voicemail web services against the stand-in XSI, for what the samples (samples/voicemail-*) cannot say: what
 * XSI received for an action (method, path, empty body, the user's credentials), that a change shows in the next
 * list although the list is kept (tenant {@code cached}), ids refused before XSI, the ETag, and the log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class VoicemailTest extends ProxyTestSupport {

    private static final String ID = "e5c3a18b-3508-45e7-9577-e8889e4efffb";
    private static final String USER = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/";
    private static final BasicCredentials ALICE = new BasicCredentials("alice@acme.example", "x-fake-portal-alice");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    BackendCache backendCache;

    /** Whether this JVM's proxy has called XSI once already. */
    private static boolean warm;

    @BeforeEach
    void reset() {
        if (!warm) {
            // the first XSI call of a cold JVM (client, pool, stand-in) can take longer than the tests' 1 s
            // backend-timeout on a busy machine: made once, its outcome unused
            BACKEND.serve(sample("voicemail-list"));
            proxy().send("GET", "/services/voicemail", Map.of("token", token("acme")), Map.of());
            warm = true;
        }
        backendCache.clear();
    }

    @Test
    void markingReadPutsToTheMessagesMarkAsReadWithAnEmptyBody() {
        replay(sample("voicemail-mark-read"));

        List<LoggedRequest> received = BACKEND.server().findAll(anyRequestedFor(anyUrl()));
        assertThat(received).hasSize(1);
        LoggedRequest put = received.get(0);
        assertThat(put.getMethod().getName()).isEqualTo("PUT");
        assertThat(put.getUrl()).isEqualTo(USER + "VoiceMessagingMessages/" + ID + "/MarkAsRead");
        assertThat(put.getBody()).isEmpty();
        assertThat(put.getHeader("Content-Length")).isEqualTo("0");
        BACKEND.server().verify(1, putRequestedFor(urlPathEqualTo(USER + "VoiceMessagingMessages/" + ID + "/MarkAsRead"))
                .withBasicAuth(ALICE));
    }

    @Test
    void markingUnreadPutsToMarkAsUnread() {
        replay(sample("voicemail-mark-unread-german"));

        BACKEND.server().verify(1, putRequestedFor(urlPathEqualTo(USER + "VoiceMessagingMessages/" + ID
                + "/MarkAsUnread")).withBasicAuth(ALICE));
        assertThat(BACKEND.server().findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void deletingSendsXsiADeleteOfTheMessageWhetherTheAppDeletesOrPosts() {
        replay(sample("voicemail-delete"));
        BACKEND.server().verify(1, deleteRequestedFor(urlPathEqualTo(USER + "VoiceMessagingMessages/" + ID))
                .withBasicAuth(ALICE));
        assertThat(BACKEND.server().findAll(anyRequestedFor(anyUrl()))).hasSize(1);

        replay(sample("voicemail-delete-forbidden"));
        List<LoggedRequest> received = BACKEND.server().findAll(anyRequestedFor(anyUrl()));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getMethod().getName()).isEqualTo("DELETE");
        assertThat(received.get(0).getUrl()).isEqualTo(USER + "VoiceMessagingMessages/" + ID);
        assertThat(received.get(0).getBody()).isEmpty();
    }

    @Test
    void anIdThisProxyNeverHandsOutIsRefusedBeforeXsi() {
        BACKEND.serve(sample("voicemail-mark-read"));
        String token = token("acme");

        for (String id : List.of("bad%20id", "a%3Bb", "x".repeat(129))) {
            HttpResponse<byte[]> answer = proxy().send("POST", "/services/voicemail/" + id + "/read",
                    Map.of("token", token), Map.of());
            assertThat(answer.statusCode()).as(id).isEqualTo(400);
            AnswerAssertions.assertWellFormedAnswer(answer);
            assertThat(body(answer)).isEqualTo("<error><message>This voice message cannot be found. Refresh your "
                    + "voicemail list.</message></error>");
        }
        assertThat(BACKEND.server().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    /**
     * The list is kept for the tenant's cache-ttl (tenant cached: 60 s), so a second list reaches XSI no more; a
     * mark or a delete forgets it, and the next list shows the change.
     */
    @Test
    void aChangeShowsInTheNextListAlthoughTheListIsKept() throws Exception {
        BACKEND.serve(sample("voicemail-mark-read"));
        mailbox(false, 2);
        String token = token("cached");

        JsonNode first = list(token);
        JsonNode kept = list(token);
        assertThat(first.get("messages").get(0).get("read").asBoolean()).isFalse();
        assertThat(kept.get("messages").get(0).get("read").asBoolean()).isFalse();
        BACKEND.server().verify(1, getRequestedFor(urlPathEqualTo(USER + "VoiceMessagingMessages")));
        BACKEND.server().verify(1, getRequestedFor(urlPathEqualTo(USER + "calls/MessageSummary")));

        HttpResponse<byte[]> marked = proxy().send("POST", "/services/voicemail/" + ID + "/read",
                Map.of("token", token), Map.of());
        assertThat(marked.statusCode()).as(body(marked)).isEqualTo(200);
        mailbox(true, 1);

        JsonNode after = list(token);
        assertThat(after.get("messages").get(0).get("read").asBoolean()).isTrue();
        assertThat(after.get("newMessages").asInt()).isZero();
        BACKEND.server().verify(2, getRequestedFor(urlPathEqualTo(USER + "VoiceMessagingMessages")));
        BACKEND.server().verify(2, getRequestedFor(urlPathEqualTo(USER + "calls/MessageSummary")));
    }

    @Test
    void theEtagIsTheListsWithoutItsLinksAndDiffersBetweenXmlAndJson() {
        BACKEND.serve(sample("voicemail-list"));
        String token = token("acme");

        HttpResponse<byte[]> one = proxy().send("GET", "/services/voicemail", Map.of("token", token), Map.of());
        HttpResponse<byte[]> two = proxy().send("GET", "/services/voicemail", Map.of("token", token), Map.of());
        HttpResponse<byte[]> json = proxy().send("GET", "/services/voicemail", Map.of("token", token),
                Map.of("Accept", "application/json"));

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(body(one)).as("audio links are sealed anew for every answer").isNotEqualTo(body(two));
        assertThat(one.headers().firstValue("ETag")).isPresent().isEqualTo(two.headers().firstValue("ETag"));
        assertThat(json.headers().firstValue("ETag")).isPresent().isNotEqualTo(one.headers().firstValue("ETag"));
        assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(one.headers().firstValue("Content-Type")).get().asString().startsWith("application/xml");
        assertThat(json.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        // If-Modified-Since alone never confirms a list: XSI says nothing of when one was read or deleted
        HttpResponse<byte[]> sinceOnly = proxy().send("GET", "/services/voicemail", Map.of("token", token),
                Map.of("If-Modified-Since", one.headers().firstValue("Last-Modified").orElseThrow()));
        assertThat(sinceOnly.statusCode()).isEqualTo(200);
    }

    /** Transient trouble never drops the app's list, nor logs it out: 304 to an app holding one, else 503. */
    @Test
    void whileXsiFailsAnAppHoldingAListKeepsIt() {
        BACKEND.serve(sample("voicemail-xsi-unavailable"));
        String token = token("acme");

        HttpResponse<byte[]> held = proxy().send("GET", "/services/voicemail", Map.of("token", token),
                Map.of("If-None-Match", "\"held-list\""));
        HttpResponse<byte[]> none = proxy().send("GET", "/services/voicemail", Map.of("token", token), Map.of());

        assertThat(held.statusCode()).isEqualTo(304);
        assertThat(held.headers().firstValue("ETag")).hasValue("\"held-list\"");
        assertThat(none.statusCode()).isEqualTo(503);
    }

    @Test
    void anActionIsLoggedOnceWithTenantUserActionAndMessageButNeverTheToken(CapturedOutput output) {
        BACKEND.serve(sample("voicemail-delete"));
        String token = token("acme");

        HttpResponse<byte[]> deleted = proxy().send("DELETE", "/services/voicemail/" + ID, Map.of("token", token),
                Map.of());

        assertThat(deleted.statusCode()).as(body(deleted)).isEqualTo(200);
        List<String> lines = output.getAll().lines().filter(line -> line.contains("voicemail delete ")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "tenant=acme", "user=alice@acme.example", "message=" + ID);
        assertThat(output.getAll()).doesNotContain(token, "x-fake-portal-alice");
    }

    private String token(String tenant) {
        return tokens.seal(new AccountToken(tenant, "alice@acme.example", "x-fake-portal-alice", Instant.now(), "",
                null));
    }

    private JsonNode list(String token) throws Exception {
        HttpResponse<byte[]> answer = proxy().send("GET", "/services/voicemail", Map.of("token", token),
                Map.of("Accept", "application/json"));
        assertThat(answer.statusCode()).as(body(answer)).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** One message, read or not, and a summary saying as much (stubs above the sample's). */
    private static void mailbox(boolean read, int priority) {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "VoiceMessagingMessages")).atPriority(priority)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(
                        "<VoiceMessagingMessages xmlns=\"http://schema.broadsoft.com/xsi\"><messageInfoList>"
                                + "<messageInfo><duration>3000</duration><callingPartyInfo><name>Ken</name>"
                                + "<address>tel:0002</address></callingPartyInfo>" + (read ? "<read/>" : "")
                                + "<time>1764158400000</time><messageId>/v2.0/user/alice@acme.example/"
                                + "voicemessagingmessages/" + ID + "</messageId></messageInfo></messageInfoList>"
                                + "</VoiceMessagingMessages>")));
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + "calls/MessageSummary")).atPriority(priority)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(
                        "<VoiceMailMessageSummary xmlns=\"http://schema.broadsoft.com/xsi\"><summary><newMessages>"
                                + (read ? 0 : 1) + "</newMessages><oldMessages>" + (read ? 1 : 0)
                                + "</oldMessages></summary></VoiceMailMessageSummary>")));
    }

    private static String body(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
