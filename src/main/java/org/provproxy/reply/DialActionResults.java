package org.provproxy.reply;

import java.util.Locale;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.apache.camel.Exchange;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/** The answer of a dial action web service that worked: a message for the subscriber, in their language. */
@Component("dialActionResults")
public class DialActionResults {

    private final MessageSource messages;

    public DialActionResults(MessageSource messages) {
        this.messages = messages;
    }

    public Result callStarted(Exchange exchange) {
        Locale locale = exchange.getProperty("locale", Locale.ENGLISH, Locale.class);
        return new Result(messages.getMessage("action.call-from-other-phone", null, locale));
    }

    /** {@code <result><message>…</message></result>} */
    @JacksonXmlRootElement(localName = "result")
    public record Result(String message) {
    }
}
