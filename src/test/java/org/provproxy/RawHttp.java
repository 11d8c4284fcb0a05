package org.provproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends bytes to the proxy over a plain socket and reads the whole answer (HTTP/1.0 style: until the server
 * closes), for requests Java's HttpClient will not send: a forged Host header, a request line Tomcat cannot parse.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** {@code head}: request line and header lines, each ending in CRLF; the blank line is added here. */
    static Answer send(int port, String head) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            return Answer.parse(answer.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Status, header lines and body of one answer. */
    record Answer(int status, List<String> headers, String body) {

        static Answer parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), new ArrayList<>(List.of(lines).subList(1, lines.length)),
                    end < 0 ? "" : text.substring(end + 4));
        }

        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim()).findFirst();
        }
    }
}
