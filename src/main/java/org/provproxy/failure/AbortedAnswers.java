package org.provproxy.failure;

import jakarta.servlet.http.HttpServletRequest;

/**
 * An answer streamed to the app whose body fails after its first byte (XSI broke off, a limit was reached) has its
 * status and headers sent: no error can follow. Ending it would end a chunked body with its last chunk, so a half
 * answer would look complete; and Camel's platform-http, when the body it copies fails, closes the servlet output
 * (which ends it so) and swallows the failure. So the stream that fails cuts the connection itself, first, with
 * the means {@link XmlErrorReportValve} puts on every request (Tomcat's own answer, which alone can close a
 * connection without ending the answer): the client sees an incomplete answer.
 */
public final class AbortedAnswers {

    static final String ATTRIBUTE = AbortedAnswers.class.getName();

    private AbortedAnswers() {
    }

    /** Closes the connection of {@code request}'s answer without ending it; false when that cannot be done here. */
    public static boolean abort(HttpServletRequest request) {
        if (request != null && request.getAttribute(ATTRIBUTE) instanceof Runnable cut) {
            cut.run();
            return true;
        }
        return false;
    }
}
