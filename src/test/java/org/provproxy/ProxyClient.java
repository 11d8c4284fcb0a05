package org.provproxy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Calls the running proxy over real HTTP, as the app does: GET with a query string or POST with a form body (other
 * methods: PUT and PATCH like POST, the rest like GET).
 */
final class ProxyClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ProxyClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<byte[]> send(SampleCall call) {
        return send(call.sample().method(), call.sample().path(), call.params(), call.headers());
    }

    HttpResponse<byte[]> send(String method, String path, Map<String, String> params, Map<String, String> headers) {
        String form = params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request;
        if ("POST".equalsIgnoreCase(method) || "PUT".equalsIgnoreCase(method) || "PATCH".equalsIgnoreCase(method)) {
            request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method.toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.ofString(form));
        } else {
            request = HttpRequest.newBuilder(URI.create(base + path + (form.isEmpty() ? "" : "?" + form)))
                    .method(method.toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.noBody());
        }
        // a sample's header replaces the default (e.g. its own Content-Type)
        headers.forEach(request::setHeader);
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("proxy did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
