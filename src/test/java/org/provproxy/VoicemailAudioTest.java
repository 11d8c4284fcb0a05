package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.request.SignIn;
import org.provproxy.request.SignIns;
import org.provproxy.voicemail.AudioLinks;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The voice message download against a stand-in XSI serving a generated 5 MB message (base64 in a VoiceMessage):
 * byte for byte through the list's link and through the account's token, streamed (chunked, no length), Range,
 * what a link may and may not open, what XSI's refusals become, and a message that breaks off after the first byte
 * (the connection is cut, never a body ending as if complete). {@link VoicemailAudioMemoryTest} proves the bound.
 */
class VoicemailAudioTest extends ProxyTestSupport {

    static final String USER = "/xsi/com.broadsoft.xsi-actions/v2.0/user/";
    static final String ALICE = "alice@acme.example";
    static final String PASSWORD = "x-fake-portal-alice";
    static final String ID = "e5c3a18b-3508-45e7-9577-e8889e4efffb";
    static final int SIZE = 5 * 1024 * 1024;
    static byte[] audio;
    static byte[] message;

    @Autowired
    AudioLinks audioLinks;

    @Autowired
    SignIns signIns;

    @BeforeAll
    static void makeMessage() {
        audio = audio(SIZE, 14);
        message = voiceMessage("WAV", audio);
    }

    @BeforeEach
    void reset() {
        BACKEND.server().resetAll();
        BACKEND.server().stubFor(any(urlPathMatching("/xsi/.*")).atPriority(9).willReturn(aResponse().withStatus(401)));
    }

    @Test
    void theListsLinkDownloadsTheWholeMessageByteForByteStreamed() throws Exception {
        serve(ID, message);

        HttpResponse<byte[]> answer = download(link(ID), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(answer.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
        // streamed as it comes: no length known up front
        assertThat(answer.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
        assertThat(answer.body().length).isEqualTo(SIZE);
        assertThat(Arrays.equals(answer.body(), audio)).as("the decoded audio, byte for byte").isTrue();
        ServeEvent asked = BACKEND.server().getAllServeEvents().get(0);
        assertThat(asked.getRequest().getUrl()).isEqualTo(USER + ALICE + "/VoiceMessagingMessages/" + ID);
        assertThat(asked.getRequest().getHeader("Authorization")).isEqualTo(basic(ALICE, PASSWORD));
    }

    @Test
    void theAccountsTokenDownloadsTooAndASmallMessageCarriesItsLength() throws Exception {
        byte[] small = audio(1000, 3);
        serve("m1", voiceMessage("MP3", small));

        HttpResponse<byte[]> answer = download("/services/voicemail/m1/audio?token=" + token("acme", PASSWORD), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
        assertThat(answer.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(answer.body()).isEqualTo(small);
    }

    @Test
    void anUnknownMediaTypeIsOctetStream() throws Exception {
        serve("m2", voiceMessage("XYZ", audio(10, 4)));

        HttpResponse<byte[]> answer = download(link("m2"), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void aRangeIsAnsweredWithItsBytesAndTheTotalLength() throws Exception {
        serve(ID, message);

        HttpResponse<byte[]> answer = download(link(ID), Map.of("Range", "bytes=1000-1999"));

        assertThat(answer.statusCode()).isEqualTo(206);
        assertThat(answer.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + SIZE);
        assertThat(answer.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(answer.body()).isEqualTo(Arrays.copyOfRange(audio, 1000, 2000));
    }

    @Test
    void anOpenRangeGetsAtMostOneMegabyteAndSaysWhichPart() throws Exception {
        serve(ID, message);

        HttpResponse<byte[]> middle = download(link(ID), Map.of("Range", "bytes=100-"));
        HttpResponse<byte[]> tail = download(link(ID), Map.of("Range", "bytes=" + (SIZE - 10) + "-"));

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-" + (100 + 1024 * 1024 - 1) + "/" + SIZE);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(audio, 100, 100 + 1024 * 1024));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + (SIZE - 10) + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(audio, SIZE - 10, SIZE));
    }

    @Test
    void aRangeBeyondTheMessageIs416WithItsLength() throws Exception {
        serve(ID, message);

        HttpResponse<byte[]> answer = download(link(ID), Map.of("Range", "bytes=" + SIZE + "-"));

        assertThat(answer.statusCode()).isEqualTo(416);
        assertThat(answer.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
    }

    @Test
    void aRangeThatCannotBeServedWithoutTheLengthGetsTheWholeMessage() throws Exception {
        byte[] small = audio(3000, 5);
        serve("m3", voiceMessage("WAV", small));

        HttpResponse<byte[]> suffix = download(link("m3"), Map.of("Range", "bytes=-100"));
        HttpResponse<byte[]> underIfRange = download(link("m3"), Map.of("Range", "bytes=0-9", "If-Range", "\"x\""));

        assertThat(suffix.statusCode()).isEqualTo(200);
        assertThat(suffix.body()).isEqualTo(small);
        assertThat(underIfRange.statusCode()).isEqualTo(200);
        assertThat(underIfRange.body()).isEqualTo(small);
    }

    @Test
    void anExpiredLinkIs401AndXsiIsNotAsked() throws Exception {
        String expired = tokens.sealLink(account("acme", PASSWORD), "voicemail-audio:" + ID, Duration.ofSeconds(-5));

        HttpResponse<byte[]> answer = download("/services/voicemail/" + ID + "/audio?link=" + expired, Map.of());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(body(answer)).isEqualTo("<error><message>Your sign-in has expired. Please sign in again.</message></error>");
        assertThat(BACKEND.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aLinkOpensOnlyItsOwnMessageAndIsNoAccountToken() throws Exception {
        String other = link("other-message");

        HttpResponse<byte[]> answer = download(other.replace("/other-message/", "/" + ID + "/"), Map.of());
        String linkText = other.substring(other.indexOf("link=") + 5);
        HttpResponse<byte[]> asToken = proxy().send("GET", "/services/contacts", Map.of("token", linkText), Map.of());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(body(answer)).contains("could not be read");
        assertThat(asToken.statusCode()).isEqualTo(401);
        assertThat(BACKEND.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aMessageXsiNoLongerHasIs404Gone() throws Exception {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/VoiceMessagingMessages/" + ID))
                .atPriority(1).willReturn(aResponse().withStatus(404)));

        HttpResponse<byte[]> answer = download(link(ID), Map.of("Accept-Language", "de"));

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/xml");
        assertThat(body(answer)).isEqualTo("<error><message>Diese Sprachnachricht gibt es nicht mehr. Bitte aktualisieren Sie Ihre Sprachnachrichten.</message></error>");
    }

    @Test
    void credentialsXsiRefusesAre403ForALinkButTheLogoutForTheAccountsToken() throws Exception {
        // the catch-all stub: 401 for anything else, so the old password is refused
        HttpResponse<byte[]> byLink = download(link(ID, "x-fake-portal-old"), Map.of());
        HttpResponse<byte[]> byToken = download("/services/voicemail/" + ID + "/audio?token="
                + token("acme", "x-fake-portal-old"), Map.of());

        assertThat(byLink.statusCode()).as("a link is not the app's account: never its logout").isEqualTo(403);
        assertThat(byToken.statusCode()).as("the account's access is gone: acme's logout status").isEqualTo(410);
    }

    @Test
    void xsiBusyWithAnotherDownloadIs503ToTryAgainSoon() throws Exception {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/VoiceMessagingMessages/" + ID)).atPriority(1)
                .willReturn(aResponse().withStatus(409)));

        HttpResponse<byte[]> answer = download(link(ID), Map.of());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(body(answer)).contains("Another voice message is being downloaded");
    }

    @Test
    void xsiUnavailableIs503EvenToAClientSendingValidators() throws Exception {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/VoiceMessagingMessages/" + ID)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        HttpResponse<byte[]> byLink = download(link(ID), Map.of("If-None-Match", "\"x\""));
        HttpResponse<byte[]> byToken = download("/services/voicemail/" + ID + "/audio?token=" + token("acme", PASSWORD),
                Map.of("If-Modified-Since", "Wed, 21 Oct 2026 07:28:00 GMT"));

        assertThat(byLink.statusCode()).as("the audio has no validators: never a 304").isEqualTo(503);
        assertThat(byLink.headers().firstValue("Retry-After")).isPresent();
        assertThat(byToken.statusCode()).isEqualTo(503);
    }

    @Test
    void anAnswerThatIsNoVoiceMessageIs502() throws Exception {
        serveRaw(ID, "<html><body>Maintenance</body></html>".getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> answer = download(link(ID), Map.of());

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(body(answer)).startsWith("<error><message>");
    }

    @Test
    void aMessageBreakingOffAfterTheFirstByteCutsTheConnection() {
        // 2 MB of the message, then XSI's answer ends without closing its elements
        String whole = new String(message, StandardCharsets.US_ASCII);
        serveRaw(ID, whole.substring(0, 3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> download(link(ID), Map.of()))
                .as("a half answer must not look complete").isInstanceOf(IOException.class);
    }

    @Test
    void aDownloadMayTakeLongerThanARequestsDeadline() throws Exception {
        // 1 MB arriving over 18 s, a piece every 100 ms (each read within backend-timeout, 1 s here): longer than
        // request-deadline (10 s) and the servlet's async timeout made from it (15 s), shorter than audio-deadline
        byte[] slow = audio(1024 * 1024, 18);
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/VoiceMessagingMessages/slow"))
                .withBasicAuth(ALICE, PASSWORD).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml")
                        .withBody(voiceMessage("WAV", slow)).withChunkedDribbleDelay(180, 18_000)));

        HttpResponse<byte[]> answer = download(link("slow"), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(slow);
    }

    @Test
    void aMessageIdOfUnsafeCharactersIs400() throws Exception {
        HttpResponse<byte[]> answer = download("/services/voicemail/a%2Fb/audio?link=x", Map.of());

        assertThat(answer.statusCode()).isIn(400, 404);
        assertThat(BACKEND.server().getAllServeEvents()).isEmpty();
    }

    // ---- helpers

    /** The URL the voicemail list carries for message {@code id} (its path and query, for this proxy). */
    String link(String id) {
        return link(id, PASSWORD);
    }

    String link(String id, String password) {
        SignIn signIn = signIns.of(null, org.provproxy.request.RequestKind.VOICEMAIL, "acme", ALICE, password,
                "mobile", null, null, null);
        String url = audioLinks.url(signIn, id);
        assertThat(url).startsWith(PUBLIC_URL + "/services/voicemail/" + id + "/audio?link=");
        return url.substring(PUBLIC_URL.length());
    }

    String token(String tenant, String password) {
        return tokens.seal(account(tenant, password));
    }

    static AccountToken account(String tenant, String password) {
        return new AccountToken(tenant, ALICE, password, Instant.now().truncatedTo(ChronoUnit.SECONDS), "", null);
    }

    HttpResponse<byte[]> download(String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        return download(port, pathAndQuery, headers);
    }

    static HttpResponse<byte[]> download(int port, String pathAndQuery, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET();
        headers.forEach(request::header);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void serve(String id, byte[] voiceMessage) {
        serveRaw(id, voiceMessage);
    }

    static void serveRaw(String id, byte[] body) {
        BACKEND.server().stubFor(get(urlPathEqualTo(USER + ALICE + "/VoiceMessagingMessages/" + id))
                .withBasicAuth(ALICE, PASSWORD).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/xml").withBody(body)));
    }

    /** {@code size} bytes of made-up audio, the same for the same seed. */
    static byte[] audio(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** XSI's VoiceMessage holding {@code audio} as base64 in lines of 76 (as MIME writes it). */
    static byte[] voiceMessage(String mediaType, byte[] audio) {
        String base64 = Base64.getMimeEncoder().encodeToString(audio);
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VoiceMessage xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<messageInfo><duration>110030</duration><callingPartyInfo><name>Ken Watson</name>"
                + "<address>tel:0002</address></callingPartyInfo><time>1363014750766</time>"
                + "<messageId>/v2.0/user/" + ALICE + "/voicemessagingmessages/" + ID + "</messageId></messageInfo>"
                + "<messageMediaContent><description/><mediaType>" + mediaType + "</mediaType><content>\n" + base64
                + "\n</content></messageMediaContent></VoiceMessage>").getBytes(StandardCharsets.US_ASCII);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
