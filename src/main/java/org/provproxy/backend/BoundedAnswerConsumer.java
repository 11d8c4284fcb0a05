package org.provproxy.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads one XSI or DMS answer as it arrives, into a {@link BackendAnswer}, and fails with
 * {@link BackendHttp.AnswerTooLarge} as soon as its body passes the limit, counted after decompression: the
 * exchange then fails and its connection is closed, not drained. HttpClient's async client does not decompress
 * (its classic client did), so a gzip or deflate answer is inflated here, a window at a time: a gzip bomb is cut
 * at the limit, never inflated whole.
 */
final class BoundedAnswerConsumer implements AsyncResponseConsumer<BackendAnswer> {

    /** Context attribute set once an answer's head arrived: from then on the call is never sent again. */
    static final String ANSWERED = BoundedAnswerConsumer.class.getName() + ".answered";
    private static final int WINDOW = 64 * 1024;

    private final long limit;
    private HttpResponse response;
    private FutureCallback<BackendAnswer> callback;
    private ByteArrayOutputStream body;
    private Inflating inflating;
    private long total;

    BoundedAnswerConsumer(long limit) {
        this.limit = limit;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<BackendAnswer> callback) throws IOException {
        context.setAttribute(ANSWERED, Boolean.TRUE);
        this.response = response;
        this.callback = callback;
        String encoding = entity == null ? null : entity.getContentEncoding();
        if (encoding != null) {
            encoding = encoding.trim().toLowerCase(Locale.ROOT);
            if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
                inflating = new Inflating(true);
            } else if (encoding.equals("deflate")) {
                inflating = new Inflating(false);
            } else if (!encoding.isEmpty() && !encoding.equals("identity")) {
                throw new ZipException("unsupported Content-Encoding " + encoding);
            }
        }
        long declared = entity == null ? 0 : entity.getContentLength();
        if (inflating == null && declared > limit) {
            throw new BackendHttp.AnswerTooLarge(limit);
        }
        body = new ByteArrayOutputStream(inflating == null && declared > 0 ? (int) declared : 8192);
        if (entity == null) {
            callback.completed(answer());
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx: nothing to read
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        channel.update(WINDOW);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (inflating != null) {
            inflating.consume(src);
            return;
        }
        int n = src.remaining();
        count(n);
        if (src.hasArray()) {
            body.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
        } else {
            byte[] bytes = new byte[n];
            src.get(bytes);
            body.write(bytes, 0, n);
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws IOException {
        if (inflating != null) {
            inflating.end();
        }
        callback.completed(answer());
    }

    @Override
    public void failed(Exception cause) {
        release();
    }

    @Override
    public void releaseResources() {
        release();
    }

    private void release() {
        if (inflating != null) {
            inflating.inflater.end();
        }
    }

    private void count(long n) throws BackendHttp.AnswerTooLarge {
        total += n;
        if (total > limit) {
            throw new BackendHttp.AnswerTooLarge(limit);
        }
    }

    private BackendAnswer answer() {
        Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
        Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
        return new BackendAnswer(response.getCode(), contentType != null ? contentType.getValue() : null,
                body != null ? body.toByteArray() : new byte[0], retryAfter != null ? retryAfter.getValue() : null,
                0, false, null);
    }

    /**
     * gzip (RFC 1952: header, raw deflate, CRC-32 and size) or deflate (zlib-wrapped, or raw as some servers
     * send it), inflated a window at a time and counted as it inflates.
     */
    private final class Inflating {

        private final boolean gzip;
        private Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final ByteArrayOutputStream header = new ByteArrayOutputStream();
        private final byte[] window = new byte[WINDOW];
        private boolean headerRead;
        private boolean firstBlock = true;
        private final ByteArrayOutputStream trailer = new ByteArrayOutputStream();

        Inflating(boolean gzip) {
            this.gzip = gzip;
            this.inflater = new Inflater(gzip);
            this.headerRead = !gzip;
        }

        void consume(ByteBuffer src) throws IOException {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            int offset = 0;
            if (!headerRead) {
                header.write(bytes, 0, bytes.length);
                byte[] seen = header.toByteArray();
                int length = gzipHeaderLength(seen);
                if (length < 0) {
                    return;
                }
                headerRead = true;
                bytes = seen;
                offset = length;
            }
            if (inflater.finished()) {
                trailer.write(bytes, offset, bytes.length - offset);
                return;
            }
            if (!gzip && firstBlock && bytes.length - offset > 0) {
                firstBlock = false;
                // zlib-wrapped deflate starts with a CMF byte of method 8 whose header checksum holds
                boolean zlib = (bytes[offset] & 0x0f) == 8 && bytes.length - offset > 1
                        && (((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff)) % 31 == 0;
                if (!zlib) {
                    // raw deflate, as some servers send it (HttpClient's classic client read it too)
                    inflater.end();
                    inflater = new Inflater(true);
                }
            }
            inflater.setInput(bytes, offset, bytes.length - offset);
            inflate();
            if (inflater.finished() && inflater.getRemaining() > 0) {
                int rest = inflater.getRemaining();
                trailer.write(bytes, bytes.length - rest, rest);
            }
        }

        private void inflate() throws IOException {
            try {
                while (!inflater.finished()) {
                    int n = inflater.inflate(window);
                    if (n == 0) {
                        if (inflater.needsInput() || inflater.needsDictionary()) {
                            return;
                        }
                        continue;
                    }
                    count(n);
                    if (gzip) {
                        crc.update(window, 0, n);
                    }
                    body.write(window, 0, n);
                }
            } catch (DataFormatException e) {
                throw new ZipException("corrupt compressed answer: " + e.getMessage());
            }
        }

        void end() throws IOException {
            if (!inflater.finished()) {
                throw new ZipException("compressed answer ended early");
            }
            if (gzip) {
                byte[] t = trailer.toByteArray();
                if (t.length < 8) {
                    throw new ZipException("gzip answer without its trailer");
                }
                long expected = (t[0] & 0xffL) | (t[1] & 0xffL) << 8 | (t[2] & 0xffL) << 16 | (t[3] & 0xffL) << 24;
                if (expected != crc.getValue()) {
                    throw new ZipException("gzip answer with a wrong CRC");
                }
            }
        }

        /** The length of a complete gzip header at the start of {@code b}, or -1 while it is incomplete. */
        private static int gzipHeaderLength(byte[] b) throws ZipException {
            if (b.length < 10) {
                return -1;
            }
            if ((b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
                throw new ZipException("not in gzip format");
            }
            int flags = b[3] & 0xff;
            int at = 10;
            if ((flags & 4) != 0) {
                if (b.length < at + 2) {
                    return -1;
                }
                at += 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
            }
            for (int flag : new int[] {8, 16}) {
                if ((flags & flag) != 0) {
                    while (true) {
                        if (at >= b.length) {
                            return -1;
                        }
                        if (b[at++] == 0) {
                            break;
                        }
                    }
                }
            }
            if ((flags & 2) != 0) {
                at += 2;
            }
            return at <= b.length ? at : -1;
        }
    }
}
