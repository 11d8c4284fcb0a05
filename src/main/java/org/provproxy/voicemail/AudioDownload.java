package org.provproxy.voicemail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.provproxy.failure.AbortedAnswers;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voice message on its way from XSI to the app (variable {@code audio}): XSI's open answer, what was read of
 * it before answering (the first piece of the audio, or the range asked for), and the rest as a stream. Closed
 * once the exchange is done, whatever happened: XSI's connection is released (discarded when not read to its
 * end), and a download that was answered logs its one line.
 */
public final class AudioDownload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");

    private final SignIn signIn;
    private final String messageId;
    private final ClassicHttpResponse xsi;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int status;
    private String contentType = "application/octet-stream";
    private String contentRange;
    private byte[] head = new byte[0];
    private InputStream rest;
    private long length = -1;
    private long sent;
    private boolean answered;
    private String cutOff;

    AudioDownload(SignIn signIn, String messageId, ClassicHttpResponse xsi) {
        this.signIn = signIn;
        this.messageId = messageId;
        this.xsi = xsi;
    }

    /** The whole message: {@code head} read already, {@code rest} to follow (null: {@code head} is all of it). */
    void whole(String contentType, byte[] head, InputStream rest) {
        this.status = 200;
        this.contentType = contentType;
        this.head = head;
        this.rest = rest;
        this.length = rest == null ? head.length : -1;
    }

    /** A part of the message, complete in {@code part}, of a message {@code total} bytes long. */
    void part(String contentType, long first, byte[] part, long total) {
        this.status = 206;
        this.contentType = contentType;
        this.head = part;
        this.length = part.length;
        this.contentRange = "bytes " + first + "-" + (first + part.length - 1) + "/" + total;
    }

    /** The range asked for starts beyond the message's {@code total} bytes. */
    void unsatisfiable(long total) {
        this.status = 416;
        this.length = 0;
        this.contentRange = "bytes */" + total;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Content-Range of a 206 or 416, else null. */
    public String contentRange() {
        return contentRange;
    }

    /** The body's length when known before it is sent (a part, or a message read whole), else -1 (chunked). */
    public long length() {
        return length;
    }

    /**
     * The body for the app: what was read, then the rest as XSI sends it. When the rest fails (XSI breaks off, a
     * limit), the app's connection is cut first ({@link AbortedAnswers}): its answer must not end as if complete.
     */
    InputStream body(HttpServletRequest request) {
        answered = true;
        InputStream all = rest == null ? new ByteArrayInputStream(head)
                : new SequenceInputStream(new ByteArrayInputStream(head), rest);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int count) throws IOException {
                try {
                    int read = all.read(target, offset, count);
                    if (read > 0) {
                        sent += read;
                    }
                    return read;
                } catch (IOException | RuntimeException e) {
                    cutOff = e instanceof InterruptedIOException ? "deadline or read timeout"
                            : e.getClass().getSimpleName() + ": " + e.getMessage();
                    AbortedAnswers.abort(request);
                    throw e;
                }
            }
        };
    }

    /** Releases XSI's answer and logs the download's line (once it was answered). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            xsi.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection is discarded either way
        }
        if (!answered) {
            return;
        }
        if (cutOff != null) {
            LOG.warn("voicemail audio cut off tenant={} user={} message={} status={} bytes={} ({})",
                    signIn.tenant().key(), signIn.userId(), messageId, status, sent, cutOff);
        } else {
            LOG.info("voicemail audio tenant={} user={} message={} status={} type={} bytes={}{}",
                    signIn.tenant().key(), signIn.userId(), messageId, status, contentType, sent,
                    contentRange != null ? " range=" + contentRange : "");
        }
    }
}
