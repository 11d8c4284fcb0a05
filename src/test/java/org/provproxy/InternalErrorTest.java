package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.SampleCase;
import org.springframework.test.context.TestPropertySource;

/**
 * A failure nobody classified (here: a stylesheet that raises an error) is a 500 with a generic message: the
 * subscriber never sees the exception, its message or a stack trace.
 */
@TestPropertySource(properties = "provisioning.xslt-location=file:src/test/resources/failing-xslt")
class InternalErrorTest extends ProxyTestSupport {

    @Test
    void unexpectedFailureIsAGeneric500() {
        SampleCase sample = sample("mobile-three-devices");
        BACKEND.serve(sample);

        var response = proxy().send(SampleCall.of(sample, tokens));

        assertThat(response.statusCode()).isEqualTo(500);
        AnswerAssertions.assertWellFormedAnswer(response);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(
                "<error><message>Something went wrong on our side. Please try again later.</message></error>");
    }
}
