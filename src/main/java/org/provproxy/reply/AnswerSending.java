package org.provproxy.reply;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.provproxy.request.Caller;
import org.springframework.stereotype.Component;

/**
 * Gets each answer to the app the moment platform-http has written it, on the request's task thread. Camel's binding
 * wrote a body chunked (the body, then its last chunk in a second write); a body-less answer (a 304, the commonest
 * answer of all) it does not write at all, so Tomcat sent that only once the servlet's asynchronous dispatch that
 * follows had run through the filters and Spring MVC again on another thread. So a body of bytes in hand goes with
 * its Content-Length, whole in one write ({@link #length}, before the answer is written), and the answer is ended
 * once written ({@link #send}, after): the onCompletion steps of routes/config/sending.yaml.
 */
@Component("answerSending")
public class AnswerSending {

    /**
     * The Content-Length of an answer whose body is bytes in hand, set on the servlet answer before platform-http
     * writes it (Camel's binding writes bytes as they are, and drops a Content-Length header of the message). Not
     * for a body it will compress (Content-Encoding on the message) or stream, nor a body-less answer.
     */
    public void length(Exchange exchange, @Variable("caller") Caller caller) {
        Message message = exchange.getMessage();
        if (caller == null || caller.answer() == null || caller.answer().isCommitted()
                || !(message.getBody() instanceof byte[] body) || message.getHeader("Content-Encoding") != null) {
            return;
        }
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || (status >= 200 && status != HttpServletResponse.SC_NO_CONTENT
                && status != HttpServletResponse.SC_NOT_MODIFIED)) {
            caller.answer().setContentLength(body.length);
        }
    }

    /**
     * Ends the written answer, so Tomcat sends what it still holds (a 304's head) now; platform-http's consumer runs
     * this after it wrote the answer, success or failure alike. A no-op offline, or once the answer is gone.
     */
    public void send(@Variable("caller") Caller caller) {
        if (caller == null || caller.answer() == null) {
            return;
        }
        try {
            caller.answer().getOutputStream().close();
        } catch (IOException | RuntimeException e) {
            // the app went away, the answer was cut (failure/AbortedAnswers), or it was written as characters
        }
    }
}
