package org.provproxy.voicemail;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.AsyncWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A voice message download may take longer than a request's deadline: platform-http runs a route asynchronously
 * to the servlet, whose async timeout (request-deadline plus a grace, {@code request/RequestDeadlines}) would end
 * the answer under a body still being streamed, and ended so, a chunked body looks complete. For the audio path
 * only, the servlet waits for audio-deadline (which bounds the download itself) plus the request deadline (the
 * time before it starts) and the web server's write timeout (a client not reading).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class AudioAsyncTimeout implements WebMvcConfigurer {

    private static final Pattern AUDIO = Pattern.compile("/services/voicemail/[^/]+/audio");
    private static final Duration WRITE_GRACE = Duration.ofSeconds(60);

    private final long timeoutMillis;

    AudioAsyncTimeout(ProvisioningProperties properties) {
        this.timeoutMillis = properties.getVoicemail().getAudioDeadline().plus(properties.getRequestDeadline())
                .plus(WRITE_GRACE).toMillis();
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.registerDeferredResultInterceptors(new DeferredResultProcessingInterceptor() {
            @Override
            public <T> void beforeConcurrentHandling(NativeWebRequest request, DeferredResult<T> result) {
                // called before the servlet's async processing starts, while its timeout can still be set
                HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
                if (http != null && request instanceof AsyncWebRequest async
                        && AUDIO.matcher(http.getRequestURI()).matches()) {
                    async.setTimeout(timeoutMillis);
                }
            }
        });
    }
}
