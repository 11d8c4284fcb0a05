package org.provproxy.reply;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.apache.camel.Variable;
import org.provproxy.request.Caller;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/** The answer of a dial action web service that worked: a message for the subscriber, in their language. */
@Component("dialActionResults")
public class DialActionResults {

    private final MessageSource messages;

    public DialActionResults(MessageSource messages) {
        this.messages = messages;
    }

    public Result callStarted(@Variable("caller") Caller caller) {
        return new Result(messages.getMessage("action.call-from-other-phone", null, caller.locale()));
    }

    /** {@code <result><message>…</message></result>} */
    @JacksonXmlRootElement(localName = "result")
    public record Result(String message) {
    }
}
