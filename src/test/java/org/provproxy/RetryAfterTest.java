package org.provproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;

/**
 * XSI saying "too many requests" (429) or "overloaded" (503) is transient trouble, answered 503 with XSI's own
 * Retry-After when it sends one (bounded), else provisioning.retry-after. Without one: sample xsi-429-too-many-requests.
 */
class RetryAfterTest extends ProxyTestSupport {

    private static final String PROFILE = SampleBackend.XSI_ROOT + "/v2.0/user/alice@acme.example/profile";

    private HttpResponse<byte[]> overloaded(int status, String retryAfter) {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);
        BACKEND.server().stubFor(get(urlPathEqualTo(PROFILE)).atPriority(0)
                .willReturn(aResponse().withStatus(status).withHeader("Retry-After", retryAfter)));
        HttpResponse<byte[]> response = proxy().send(SampleCall.of(sample, tokens));
        assertThat(response.statusCode()).isEqualTo(503);
        AnswerAssertions.assertWellFormedAnswer(response);
        return response;
    }

    @Test
    void xsisOwnRetryAfterIsPassedOn() {
        assertThat(overloaded(429, "120").headers().firstValue("Retry-After")).hasValue("120");
        assertThat(overloaded(503, "45").headers().firstValue("Retry-After")).hasValue("45");
    }

    @Test
    void aDateIsAnsweredInSeconds() {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        String seconds = overloaded(429, inTwoMinutes).headers().firstValue("Retry-After").orElseThrow();
        assertThat(Integer.parseInt(seconds)).isBetween(110, 120);
    }

    @Test
    void whatCannotBeReadOrIsAbsurdIsBounded() {
        assertThat(overloaded(429, "soon").headers().firstValue("Retry-After")).hasValue("30");
        assertThat(overloaded(429, "31536000").headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(overloaded(429, "0").headers().firstValue("Retry-After")).hasValue("1");
    }
}
