package org.provproxy.config;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The port this application's own web server listens on, for what it serves itself (the demo XSI and DMS): taken
 * from the server once it started, so a random port (tests) is right too.
 */
@Component
public class LocalServer implements ApplicationListener<WebServerInitializedEvent> {

    /** Until the server started (or without one, as in validate): the default port; no request can come earlier. */
    private volatile int port = 8080;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // a management server on its own port announces itself too, under its namespace
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    /** The port the application serves HTTP on. */
    public int port() {
        return port;
    }
}
