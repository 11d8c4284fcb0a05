package org.provproxy.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.provproxy.config.LocalServer;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.config.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The built-in demo XSI and DMS, serving the recorded documents of {@code samples/} so the proxy answers real
 * Account XML with no BroadWorks at hand. The demo tenant's login name is a sample folder name
 * ({@code mobile-three-devices}), its password that case's {@code xsi.password}. Not for production:
 * {@code provisioning.demo.enabled=false} turns it off.
 */
@Component("demoBackend")
public class DemoBackend {

    static final String BASE_PATH = Tenants.DEMO_BACKEND_PATH;
    private static final String USER_PREFIX = "/com.broadsoft.xsi-actions/v2.0/user/";
    /** The backend timeout samples are written for (samples/README.md): a longer delay is a timeout. */
    static final long SAMPLES_TIMEOUT_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(DemoBackend.class);

    private final ProvisioningProperties properties;
    private final LocalServer server;

    public DemoBackend(ProvisioningProperties properties, LocalServer server) {
        this.properties = properties;
        this.server = server;
    }

    /** A demo without samples answers nothing: say so at start rather than with 401s later. */
    @EventListener(ApplicationReadyEvent.class)
    public void checkSamples() {
        Path samples = Path.of(properties.getDemo().getSamplesDir()).toAbsolutePath();
        if (properties.getDemo().isEnabled() && !Files.isDirectory(samples)) {
            LOG.warn("Demo mode is on but there is no samples folder at {}: the demo backend has no user to serve. "
                    + "Run from a checkout (or a folder holding samples/), set provisioning.demo.samples-dir, or "
                    + "turn the demo off (provisioning.demo.enabled=false).", samples);
        }
    }

    /** Answers one XSI or DMS request; the path is relative to {@value #BASE_PATH}. */
    public void answer(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        String requested = message.getHeader(Exchange.HTTP_PATH, String.class);
        try {
            serve(message);
        } catch (IllegalArgumentException e) {
            // a sample folder the format refuses (SampleCase says why): the demo's user reads it in the log
            LOG.warn("Demo backend cannot serve {}: {}", requested, e.getMessage());
            message.removeHeaders("*");
            reply(message, 500, null, new byte[0]);
        }
    }

    private void serve(Message message) throws InterruptedException {
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        if (path.startsWith(BASE_PATH + "/")) {
            path = path.substring(BASE_PATH.length());
        }
        String authorization = message.getHeader("Authorization", String.class);
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        message.removeHeaders("*");

        Path samples = Path.of(properties.getDemo().getSamplesDir());
        Optional<SampleCase.Answer> answer;
        if (path.startsWith(USER_PREFIX)) {
            // /com.broadsoft.xsi-actions/v2.0/user/<case>@<domain>/<resource>
            String rest = path.substring(USER_PREFIX.length());
            int slash = rest.indexOf('/');
            String userId = slash < 0 ? rest : rest.substring(0, slash);
            String caseName = userId.contains("@") ? userId.substring(0, userId.indexOf('@')) : userId;
            Optional<SampleCase> sample = SampleCase.find(samples, caseName);
            if (sample.isEmpty() || !basic(authorization, userId, sample.get().backend("xsi.password"))) {
                reply(message, 401, null, new byte[0]);
                return;
            }
            String resource = "xsi/" + rest.substring(slash + 1);
            // the most specific answer for the query (a directory's page: directories/Enterprise@start=1001.xml)
            answer = sample.get().answer(resource, query, baseUrl(caseName));
            if (answer.isEmpty() && (resource.startsWith("xsi/services/") || resource.startsWith("xsi/directories/")
                    || resource.equals("xsi/VoiceMessagingMessages") || resource.equals("xsi/calls/MessageSummary"))) {
                // a service, directory or mailbox the sample did not record: not assigned (a directory: not
                // available to the user), as BroadWorks says it (the tests are stricter)
                answer = Optional.of(new SampleCase.Answer(403, null, new byte[0], 0, null));
            }
        } else {
            // /<case>/dms/<path>
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            int slash = trimmed.indexOf('/');
            String caseName = slash < 0 ? trimmed : trimmed.substring(0, slash);
            Optional<SampleCase> sample = SampleCase.find(samples, caseName);
            if (sample.isEmpty() || slash < 0) {
                reply(message, 404, null, new byte[0]);
                return;
            }
            if (!basic(authorization, sample.get().backend("dms.user"), sample.get().backend("dms.password"))) {
                reply(message, 401, null, new byte[0]);
                return;
            }
            answer = sample.get().answer(trimmed.substring(slash + 1), baseUrl(caseName));
        }
        // the demo answers GET only: a resource recorded for another method (an XSI action) is not there for it
        if (answer.isEmpty() || !answer.get().methods().contains("GET")) {
            reply(message, 404, null, new byte[0]);
            return;
        }
        SampleCase.Answer recorded = answer.get();
        if (recorded.delayMs() > 0) {
            // samples record a delay beyond the tests' 1 s timeout to mean "slower than the proxy waits": show the
            // proxy's timeout handling with whatever timeout the demo runs (bounded, this is a demo)
            long timeout = properties.getBackendTimeout().toMillis();
            Thread.sleep(recorded.delayMs() >= SAMPLES_TIMEOUT_MILLIS ? timeout + 500 : recorded.delayMs());
        }
        if (recorded.fault() != null) {
            reply(message, 503, null, new byte[0]);
            return;
        }
        reply(message, recorded.status(), recorded.contentType(), recorded.body());
    }

    private String baseUrl(String caseName) {
        return "http://localhost:" + server.port() + BASE_PATH + "/" + caseName;
    }

    private static boolean basic(String authorization, String user, String password) {
        if (authorization == null || user == null || password == null) {
            return false;
        }
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(authorization.trim());
    }

    private static void reply(Message message, int status, String contentType, byte[] body) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (contentType != null) {
            message.setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        message.setBody(body);
    }
}
