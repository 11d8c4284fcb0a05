package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The app's parameters come from the query string and the form body only, each once, as the app sent them: a
 * parameter given twice, a control character, a value longer than provisioning.max-parameter-size or a user name
 * that is a path dot-segment never reaches XSI. (Headers named like parameters: sample parameters-not-from-headers.)
 */
class RequestParametersTest extends ProxyTestSupport {

    private static final String MALFORMED = "<error><message>The request could not be read. Please contact your "
            + "service provider.</message></error>";
    private static final String TOO_LARGE = "<error><message>The request is too large. Please contact your service "
            + "provider.</message></error>";
    private static final String BAD_USER_NAME = "<error><message>This is not a valid user name. Please check what "
            + "you entered.</message></error>";

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void backend() {
        // a complete backend: whatever a refused request would have reached answers 200
        BACKEND.serve(sample("mobile-three-devices"));
        BACKEND.server().resetRequests();
    }

    private HttpResponse<byte[]> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/provisioning/account?" + query))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String query, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/provisioning/account"
                        + (query.isEmpty() ? "" : "?" + query)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String expected) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        AnswerAssertions.assertWellFormedAnswer(response);
        AnswerAssertions.assertSameXml(expected, body);
        assertThat(BACKEND.server().getAllServeEvents()).as("XSI is not called").isEmpty();
    }

    @Test
    void aParameterGivenTwiceIsRefusedNotJoined() throws Exception {
        assertRefused(get("username=alice%40acme.example&username=bob&password=x-fake-portal-alice&cloud_id=acme"),
                400, MALFORMED);
    }

    @Test
    void aParameterInTheQueryAndInTheFormIsGivenTwice() throws Exception {
        assertRefused(post("cloud_id=acme", "cloud_username=alice%40acme.example&cloud_password=x-fake-portal-alice"
                + "&cloud_id=acme"), 400, MALFORMED);
    }

    @Test
    void aParameterUnderBothOfItsNamesIsGivenTwice() throws Exception {
        assertRefused(post("", "username=alice%40acme.example&cloud_username=bob%40acme.example"
                + "&password=x-fake-portal-alice&cloud_id=acme"), 400, MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"username=alice%0D%0A%40acme.example&password=x-fake-portal-alice",
        "username=alice%40acme.example&password=x-fake-portal-alice%00", "username=alice%09%40acme.example&password=x"})
    void controlCharactersAreRefusedNotReplaced(String credentials) throws Exception {
        assertRefused(get(credentials + "&cloud_id=acme"), 400, MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "%2E%2E", "..%40acme.example"})
    void aUserNameThatIsADotSegmentNeverBecomesPartOfAnXsiPath(String username) throws Exception {
        assertRefused(get("username=" + username + "&password=x-fake-portal-alice&cloud_id=acme"), 400, BAD_USER_NAME);
        // a tenant without a user domain would put the bare name into the path
        assertRefused(get("username=" + username + "&password=x-fake-portal-alice&cloud_id=legacyco"), 400,
                BAD_USER_NAME);
    }

    @Test
    void aValueLongerThanTheLimitIs413() throws Exception {
        String longName = "a".repeat(1025);
        assertRefused(get("username=" + longName + "&password=x-fake-portal-alice&cloud_id=acme"), 413, TOO_LARGE);
        assertRefused(post("", "username=alice&password=" + longName + "&cloud_id=acme"), 413, TOO_LARGE);
    }

    @Test
    void aFormThatIsNoListOfPairsIs400NotAnInternalError() throws Exception {
        assertRefused(post("", "username=alice%zz&password=x-fake-portal-alice&cloud_id=acme"), 400, MALFORMED);
    }

    @Test
    void aFormParameterWithoutValueIsEmpty() throws Exception {
        HttpResponse<byte[]> response = post("", "username=alice%40acme.example&password&cloud_id=acme");
        assertThat(response.statusCode()).isEqualTo(400);
        AnswerAssertions.assertSameXml("<error><message>Please enter your user name and password.</message></error>",
                new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void cleanParametersStillSignIn() throws Exception {
        HttpResponse<byte[]> response = post("locale=de", "cloud_username=alice%40acme.example"
                + "&cloud_password=x-fake-portal-alice&cloud_id=acme&platform=iOS&unrelated=%E2%9C%93");
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }
}
