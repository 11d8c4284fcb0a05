package org.provproxy.failure;

import java.io.IOException;

import jakarta.servlet.ServletException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.provproxy.request.ProvisioningRequestReader;

/**
 * Tomcat's error report for what never reaches the application (a request line or headers it cannot parse, 400):
 * the routes' {@code <error><message>} instead of Tomcat's HTML page. Everything that reaches the application is
 * answered by {@link UnroutedErrors} first; this valve writes only where nothing was written. Such a request's
 * headers may not even be read: the language is Accept-Language if it was, else English.
 */
final class XmlErrorReportValve extends ErrorReportValve {

    private final Supplier<ErrorAnswers> answers;

    XmlErrorReportValve(Supplier<ErrorAnswers> answers) {
        this.answers = answers;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Gives the request the means to cut its connection ({@link AbortedAnswers}): only here is Tomcat's own answer
     * at hand, which alone can close a connection without ending the answer.
     */
    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(AbortedAnswers.ATTRIBUTE,
                (Runnable) () -> response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null));
        super.invoke(request, response);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get() || !response.setErrorReported()) {
            return;
        }
        ErrorAnswers.Unrouted answer = answers.get().unrouted(status,
                ProvisioningRequestReader.locale(null, header(request, "Accept-Language")),
                ProvisioningRequestReader.requestId(header(request, "X-Request-Id")));
        try {
            answer.headers().forEach(response::setHeader);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(answer.body(), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException gone) {
            // the client left or the answer is under way: nothing more to say
        }
    }

    private static String header(Request request, String name) {
        try {
            return request.getHeader(name);
        } catch (RuntimeException unparsed) {
            return null;
        }
    }
}
