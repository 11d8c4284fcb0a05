package org.provproxy.reply;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Which message headers become headers of the proxy's HTTP answers (platform-http, set in application.yaml):
 * Camel's HTTP defaults, except that {@code Cache-Control} passes. The defaults drop it, but the reply routes set
 * it ({@code no-store} on answers carrying SIP credentials or the token). Every route removes all headers before
 * it sets the answer's own, so no backend's Cache-Control reaches the app this way.
 */
@Component("answerHeaderFilter")
public class AnswerHeaderFilter extends HttpHeaderFilterStrategy {

    public AnswerHeaderFilter() {
        getOutFilter().remove("cache-control");
    }
}
