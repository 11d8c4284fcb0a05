package org.provproxy.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.awaitility.Awaitility;
import org.provproxy.faults.BackendUser.Resource;

/**
 * XSI and the DMS as a loopback stand-in that misbehaves on purpose: a raw HTTP/1.1 server (keep-alive, one thread
 * per connection) because WireMock can neither trickle a body past a read timeout, nor send a gzip bomb, nor stop
 * and start again on the same port. XSI answers only the user's Basic credentials (else 401, as BroadWorks), the
 * DMS only the device's Digest (RFC 7616, MD5, qop=auth) or Basic credentials, as the user's tenant says; a
 * resource answers as recorded unless the user's fault sits there (see {@link Fault}). Faults that answer late are
 * handed to a scheduler, so no thread sleeps.
 */
final class FaultyBackend implements AutoCloseable {

    static final String XSI_ROOT = "/xsi/com.broadsoft.xsi-actions";
    private static final String USER_PREFIX = XSI_ROOT + "/v2.0/user/";
    private static final String REALM = "BroadWorks DMS";
    private static final String NONCE = "5f2b0c0e9d7a4e1b8c3a6d9f0e1b2c3d";
    private static final Pattern DIGEST_PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");
    private static final Pattern ROOT = Pattern.compile("<([A-Za-z][\\w.-]*)((?:\\s[^>]*)?)>");
    private static final byte[] EMPTY = new byte[0];
    static final long TRICKLE_INTERVAL_MS = 200;
    static final long TRICKLE_FOR_MS = 12_000;
    static final int OVERSIZE_BYTES = 20 << 20;
    static final long BOMB_INFLATED_BYTES = 1100L << 20;
    private static final String MAINTENANCE_PAGE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Scheduled maintenance</title></head>
            <body><h1>We'll be back soon</h1><p>The service is down for scheduled maintenance.</p></body></html>
            """;

    private final long lateAnswerMs;
    private final Map<String, BackendUser> byUserId = new ConcurrentHashMap<>();
    private final Map<String, BackendUser> byDmsPath = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bombs = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService connections = Executors.newCachedThreadPool(daemon("stand-in-connection"));
    private final ScheduledExecutorService later = Executors.newScheduledThreadPool(2, daemon("stand-in-later"));
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final int port;
    private volatile ServerSocket server;

    /** Listens on a free loopback port; a timeout fault answers {@code proxyBackendTimeout} + 1.5 s late. */
    FaultyBackend(Duration proxyBackendTimeout) throws IOException {
        this.lateAnswerMs = proxyBackendTimeout.toMillis() + 1500;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
        server = listenOutsideEphemeralPorts();
        port = server.getLocalPort();
        accept(server);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String xsiUrl() {
        return baseUrl() + XSI_ROOT;
    }

    /** Serves {@code user} from now on; a gzip bomb is built here, before any request waits for it. */
    void register(BackendUser user) {
        byUserId.put(user.userId(), user);
        user.resources().keySet().stream().filter(r -> r.startsWith("dms/")).forEach(r -> byDmsPath.put(r, user));
        if (user.fault() == Fault.GZIP_BOMB) {
            bomb(user.resources().get(user.target()).body());
        }
    }

    /**
     * Stops and starts again on the same port, as a restarted XSP would: every connection is closed (the proxy's
     * pooled ones go stale), then the port listens again.
     */
    synchronized void restart() throws IOException {
        server.close();
        for (Socket socket : List.copyOf(open)) {
            close(socket);
        }
        // the port may refuse a new listener for a moment while the closed connections wind down
        server = Awaitility.await("the stand-in listens again on port " + port).atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(BindException.class)
                .until(() -> listen(port), Objects::nonNull);
        accept(server);
        restarts.incrementAndGet();
    }

    int requests() {
        return requests.get();
    }

    int restarts() {
        return restarts.get();
    }

    /** How often each fault was actually injected (a fault at a resource the walk never reached is not). */
    Map<Fault, Integer> injected() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : List.copyOf(open)) {
            close(socket);
        }
        later.shutdownNow();
        connections.shutdownNow();
    }

    /**
     * A port below Linux's ephemeral range (32768-60999): while the stand-in restarts, no outgoing connection (nor
     * a connection to itself) can take the port as its own local port and keep the listener from coming back.
     */
    private static ServerSocket listenOutsideEphemeralPorts() throws IOException {
        int first = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
        for (int i = 0; i < 200; i++) {
            try {
                return listen(20_000 + (first - 20_000 + i) % 10_000);
            } catch (BindException taken) {
                // next one
            }
        }
        return listen(0);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port), 200);
        return socket;
    }

    private void accept(ServerSocket listening) {
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket socket = listening.accept();
                    open.add(socket);
                    connections.execute(() -> serve(socket));
                } catch (IOException | RejectedExecutionException closed) {
                    return;
                }
            }
        }, "stand-in-accept-" + restarts.get());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private enum Next { KEEP_ALIVE, CLOSE, HANDED_OFF }

    private void serve(Socket socket) {
        Next next = Next.CLOSE;
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
            do {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                requests.incrementAndGet();
                next = answer(request, socket, out);
            } while (next == Next.KEEP_ALIVE);
        } catch (IOException | RuntimeException peerGone) {
            next = Next.CLOSE;
        } finally {
            if (next != Next.HANDED_OFF) {
                close(socket);
            }
        }
    }

    private Next answer(Request request, Socket socket, OutputStream out) throws IOException {
        String path = request.path();
        if (path.startsWith(USER_PREFIX) && path.indexOf('/', USER_PREFIX.length()) > 0) {
            int slash = path.indexOf('/', USER_PREFIX.length());
            String userId = URLDecoder.decode(path.substring(USER_PREFIX.length(), slash), StandardCharsets.UTF_8);
            BackendUser user = byUserId.get(userId);
            if (user == null || !basic(user.userId(), user.portalPassword()).equals(request.header("authorization"))) {
                return respond(out, 401, List.of(), EMPTY);
            }
            return resource(user, "xsi/" + path.substring(slash + 1), socket, out);
        }
        if (path.startsWith("/dms/")) {
            BackendUser user = byDmsPath.get(path.substring(1));
            if (user == null) {
                return respond(out, 404, List.of(), EMPTY);
            }
            String authorization = request.header("authorization");
            boolean authorized = user.digest() ? digestOk(user, request, authorization)
                    : basic(user.dmsUser(), user.dmsPassword()).equals(authorization);
            if (!authorized) {
                return respond(out, 401, List.of("WWW-Authenticate: " + (user.digest()
                        ? "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + NONCE + "\", algorithm=MD5"
                        : "Basic realm=\"DMS\"")), EMPTY);
            }
            return resource(user, path.substring(1), socket, out);
        }
        return respond(out, 404, List.of(), EMPTY);
    }

    private Next resource(BackendUser user, String name, Socket socket, OutputStream out) throws IOException {
        Resource resource = user.resources().get(name);
        if (resource == null) {
            return respond(out, 404, List.of(), EMPTY);
        }
        Fault fault = user.faultAt(name);
        if (!fault.healthyBackend()) {
            injected.get(fault).incrementAndGet();
        }
        List<String> type = resource.contentType() == null ? List.of() : List.of("Content-Type: " + resource.contentType());
        byte[] body = resource.body();
        switch (fault) {
            case CONNECTION_RESET -> {
                socket.setSoLinger(true, 0);
                close(socket);
                return Next.CLOSE;
            }
            case CLOSE_WITHOUT_ANSWER -> {
                close(socket);
                return Next.CLOSE;
            }
            case TIMEOUT -> {
                later.schedule(() -> {
                    try {
                        write(out, resource.status(), type, body, true);
                    } catch (IOException proxyGaveUp) {
                        // expected: the proxy closed the connection at its timeout
                    } finally {
                        close(socket);
                    }
                }, lateAnswerMs, TimeUnit.MILLISECONDS);
                return Next.HANDED_OFF;
            }
            case TRICKLE -> {
                trickle(socket, out, type, body);
                return Next.HANDED_OFF;
            }
            case SERVER_ERROR -> {
                int status = new int[] {500, 502, 503, 504}[user.index() % 4];
                return respond(out, status, List.of("Content-Type: text/html;charset=UTF-8"),
                        ("<html><body><h1>" + status + " " + reason(status) + "</h1></body></html>")
                                .getBytes(StandardCharsets.UTF_8));
            }
            case TOO_MANY_REQUESTS -> {
                return respond(out, 429, List.of("Retry-After: 120", "Content-Type: text/plain;charset=UTF-8"),
                        "Too many requests, slow down".getBytes(StandardCharsets.UTF_8));
            }
            case MALFORMED_XML -> {
                return respond(out, 200, type, Arrays.copyOf(body, body.length / 2));
            }
            case WRONG_ROOT -> {
                String pageType = user.index() % 2 == 0 ? "text/html;charset=UTF-8" : "application/xml;charset=UTF-8";
                return respond(out, 200, List.of("Content-Type: " + pageType),
                        MAINTENANCE_PAGE.getBytes(StandardCharsets.UTF_8));
            }
            case WRONG_NAMESPACE -> {
                return respond(out, 200, type, otherNamespace(body));
            }
            case OVERSIZE -> {
                oversize(out, type, body);
                return Next.KEEP_ALIVE;
            }
            case GZIP_BOMB -> {
                List<String> headers = new ArrayList<>(type);
                headers.add("Content-Encoding: gzip");
                return respond(out, 200, headers, bomb(body));
            }
            default -> {
                return respond(out, resource.status(), type, body);
            }
        }
    }

    /** Headers at once, then one byte every 200 ms: no single read waits long, the whole never ends in time. */
    private void trickle(Socket socket, OutputStream out, List<String> type, byte[] body) throws IOException {
        head(out, 200, type, body.length, true);
        out.flush();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRICKLE_FOR_MS);
        AtomicInteger sent = new AtomicInteger();
        later.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            try {
                if (i >= body.length || System.nanoTime() > end) {
                    throw new IOException("trickle over");
                }
                out.write(body[i]);
                out.flush();
            } catch (IOException overOrGone) {
                close(socket);
                // an exception ends a periodic task: no further runs
                throw new IllegalStateException("trickle over");
            }
        }, TRICKLE_INTERVAL_MS, TRICKLE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** The document with {@code <padding>} elements before its end tag, 20 MiB in all, written as it goes. */
    private static void oversize(OutputStream out, List<String> type, byte[] body) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        int end = text.lastIndexOf("</");
        byte[] prefix = text.substring(0, end).getBytes(StandardCharsets.UTF_8);
        byte[] suffix = text.substring(end).getBytes(StandardCharsets.UTF_8);
        byte[] line = ("<padding>" + "x".repeat(1000) + "</padding>\n").getBytes(StandardCharsets.UTF_8);
        int lines = OVERSIZE_BYTES / line.length;
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < 64; i++) {
            block.writeBytes(line);
        }
        byte[] blockBytes = block.toByteArray();
        head(out, 200, type, prefix.length + (long) lines * line.length + suffix.length, false);
        out.write(prefix);
        for (int i = 0; i < lines / 64; i++) {
            out.write(blockBytes);
        }
        for (int i = 0; i < lines % 64; i++) {
            out.write(line);
        }
        out.write(suffix);
        out.flush();
    }

    /** The recorded document with its root element moved to a namespace the proxy does not know. */
    private static byte[] otherNamespace(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.contains("xmlns=\"http://schema.broadsoft.com/xsi\"")) {
            text = text.replace("xmlns=\"http://schema.broadsoft.com/xsi\"", "xmlns=\"urn:example:maintenance:v1\"");
        } else {
            Matcher root = ROOT.matcher(text.replaceFirst("^<\\?xml[^>]*\\?>", ""));
            if (root.find()) {
                String tag = root.group();
                text = text.replaceFirst(Pattern.quote(tag),
                        "<" + root.group(1) + " xmlns=\"urn:example:maintenance:v1\"" + root.group(2) + ">");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A gzip body of about 1.1 MiB that inflates to the document's root element holding 1.1 GiB of whitespace:
     * well-formed, small on the wire, fatal to whoever inflates it into memory. One per root element, built once.
     */
    private byte[] bomb(byte[] document) {
        String text = new String(document, StandardCharsets.UTF_8);
        Matcher root = ROOT.matcher(text.replaceFirst("^<\\?xml[^>]*\\?>", ""));
        if (!root.find()) {
            throw new IllegalStateException("no root element in " + text);
        }
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.group();
        String tail = "</" + root.group(1) + ">\n";
        return bombs.computeIfAbsent(head, h -> gzipBomb(h, BOMB_INFLATED_BYTES, tail));
    }

    static byte[] gzipBomb(String head, long whitespace, String tail) {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream(2 << 20);
        gzip.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        gzip.writeBytes(deflate(deflater, headBytes, Deflater.FULL_FLUSH));
        crc.update(headBytes);
        // a full flush resets the compressor: the same megabyte compresses to bytes that can simply be repeated
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        byte[] chunk = deflate(deflater, spaces, Deflater.FULL_FLUSH);
        long chunks = whitespace / spaces.length;
        for (long i = 0; i < chunks; i++) {
            gzip.writeBytes(chunk);
            crc.update(spaces);
        }
        byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
        deflater.setInput(tailBytes);
        deflater.finish();
        byte[] buffer = new byte[64 << 10];
        while (!deflater.finished()) {
            gzip.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        crc.update(tailBytes);
        long size = headBytes.length + chunks * spaces.length + tailBytes.length;
        for (long value : new long[] {crc.getValue(), size}) {
            for (int i = 0; i < 4; i++) {
                gzip.write((int) (value >>> (8 * i)) & 0xff);
            }
        }
        return gzip.toByteArray();
    }

    private static byte[] deflate(Deflater deflater, byte[] input, int flush) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    private static boolean digestOk(BackendUser user, Request request, String authorization) {
        if (authorization == null || !authorization.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = DIGEST_PARAM.matcher(authorization.substring("Digest ".length()));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String ha1 = md5(user.dmsUser() + ":" + REALM + ":" + user.dmsPassword());
        String ha2 = md5(request.method() + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + NONCE + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return user.dmsUser().equals(p.get("username")) && REALM.equals(p.get("realm"))
                && NONCE.equals(p.get("nonce")) && request.target().equals(p.get("uri"))
                && expected.equals(p.get("response"));
    }

    private static String md5(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Next respond(OutputStream out, int status, List<String> headers, byte[] body) throws IOException {
        write(out, status, headers, body, false);
        return Next.KEEP_ALIVE;
    }

    private static void write(OutputStream out, int status, List<String> headers, byte[] body, boolean close)
            throws IOException {
        head(out, status, headers, body.length, close);
        out.write(body);
        out.flush();
    }

    private static void head(OutputStream out, int status, List<String> headers, long length, boolean close)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The head of one HTTP/1.1 request (the proxy only GETs; a body, if any, is skipped). */
    private record Request(String method, String target, Map<String, String> headers) {

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        String header(String name) {
            return headers.get(name);
        }

        /** The next request on the connection, or null when the peer closed it between requests. */
        static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new EOFException("request head cut off");
                }
                head.write(b);
                matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                        : b == '\r' ? 1 : 0;
                if (head.size() > 65536) {
                    throw new IOException("request head too long");
                }
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            for (long skipped = 0; skipped < length; skipped++) {
                if (in.read() < 0) {
                    throw new EOFException("request body cut off");
                }
            }
            return new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", headers);
        }
    }
}
