package org.provproxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.config.LocalServer;
import org.provproxy.config.ProvisioningProperties;

/**
 * The demo backend answers an XSI request from the sample file for its query: the most specific
 * {@code <resource>@<name>=<value>.xml} that matches, else the plain file. Called directly, as its route does.
 */
class DemoBackendQueryTest {

    private static final String DIRECTORIES = "/demo-xsi/com.broadsoft.xsi-actions/v2.0/user/"
            + PagedDirectoryCase.USER + "/directories/";

    @TempDir
    Path samples;

    private CamelContext camel;
    private DemoBackend demo;

    @BeforeEach
    void demo() throws IOException {
        PagedDirectoryCase.write(samples);
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.getDemo().setSamplesDir(samples.toString());
        demo = new DemoBackend(properties, new LocalServer());
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private Message get(String resource, String query, String password) throws InterruptedException {
        Exchange exchange = new DefaultExchange(camel);
        Message in = exchange.getMessage();
        in.setHeader(Exchange.HTTP_PATH, DIRECTORIES + resource);
        in.setHeader(Exchange.HTTP_QUERY, query);
        in.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (PagedDirectoryCase.USER + ":" + password).getBytes(StandardCharsets.UTF_8)));
        demo.answer(exchange);
        return exchange.getMessage();
    }

    private static String page(Message answer) {
        assertThat(answer.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(answer.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/xml;charset=UTF-8");
        String body = new String(answer.getBody(byte[].class), StandardCharsets.UTF_8);
        return body.substring(body.indexOf("<page>") + 6, body.indexOf("</page>"));
    }

    @Test
    void thePageFileOfTheQueryElseThePlainFile() throws InterruptedException {
        String password = PagedDirectoryCase.PASSWORD;
        assertThat(page(get("Enterprise", "start=1001&results=1000", password))).isEqualTo("second");
        assertThat(page(get("Enterprise", "results=1000&start=1001", password))).isEqualTo("second");
        assertThat(page(get("Enterprise", "start=1&results=1000", password))).isEqualTo("first");
        assertThat(page(get("Enterprise", null, password))).isEqualTo("first");
        assertThat(page(get("Enterprise", "start=2001&results=1000", password))).isEqualTo("third of 1000");
        assertThat(page(get("Group", "name=Smith%2C+J", password))).isEqualTo("smith");
        assertThat(page(get("Group", "start=1001&results=1000", password))).isEqualTo("group");
    }

    @Test
    void aPageGivenOnlyAStatusInBackendPropertiesAnswersIt() throws InterruptedException {
        Message refused = get("Enterprise", "start=3001&results=1000", PagedDirectoryCase.PASSWORD);
        assertThat(refused.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(403);
        assertThat(refused.getBody(byte[].class)).isEmpty();
    }

    @Test
    void wrongCredentialsStillGet401() throws InterruptedException {
        assertThat(get("Enterprise", "start=1001", "x-wrong").getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
    }

    @Test
    void aMalformedSampleIsA500NotAnAnswer() throws IOException, InterruptedException {
        PagedDirectoryCase.write(samples.resolve("paged"),
                Map.of("backend/xsi/directories/Enterprise@start.xml", "<x/>"));
        Message answer = get("Enterprise", "start=1001", PagedDirectoryCase.PASSWORD);
        assertThat(answer.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getBody(byte[].class)).isEmpty();
    }
}
