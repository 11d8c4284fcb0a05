package org.provproxy.voicemail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.provproxy.backend.BackendFailures;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.Caller;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/**
 * The voice message download ({@code GET /services/voicemail/{id}/audio}), for the routes: the message id of the
 * path, the Range asked for, XSI's answer opened and read as far as the answer needs before it starts
 * ({@link #open}), and the answer ({@link #reply}), whose body is the rest of XSI's answer, decoded as it arrives.
 * Whatever fails before the first byte is answered by the error table; after it, the connection is cut
 * ({@link AudioDownload#body}). Memory per download: the parser's buffer, the first {@link #HEAD} bytes, or for a
 * Range at most {@link #RANGE_WINDOW} bytes.
 */
@Component("voicemailAudio")
public class VoicemailAudio {

    /** Read before answering: a message that fails at once is answered with its error, not a cut connection. */
    static final int HEAD = 64 * 1024;
    /** The most bytes one Range answer carries (a player asking for more, or to the end, asks again from there). */
    static final int RANGE_WINDOW = 1024 * 1024;
    /** Of an XSI refusal, only this much is read (to tell its error code). */
    private static final int REFUSAL_READ = 64 * 1024;
    /**
     * XSI's answer may be this much beyond twice max-audio-size (base64 takes 4/3, line breaks a little more; then
     * the message info and tags): the decoded audio is bounded exactly, this bounds what is read around it.
     */
    private static final long XML_AROUND = 1024 * 1024;
    /** How soon an app may ask again after XSI said another download of the user is in progress. */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private final AudioClient client;
    private final BackendFailures backendFailures;
    private final long maxAudio;
    private final Duration deadline;

    public VoicemailAudio(AudioClient client, BackendFailures backendFailures, ProvisioningProperties properties) {
        this.client = client;
        this.backendFailures = backendFailures;
        this.maxAudio = properties.getVoicemail().getMaxAudioSize().toBytes();
        this.deadline = properties.getVoicemail().getAudioDeadline();
    }


    /** The message id of the path ({@code {id}}): one this proxy hands out, else 400. */
    public String messageId(@Header("id") String id) {
        return AudioLinks.requireId(id);
    }

    /** The byte range the player asks for, or null for the whole message ({@link AudioRange#of}). */
    public AudioRange range(@Header("Range") String range, @Header("If-Range") String ifRange) {
        return AudioRange.of(range, ifRange);
    }

    /**
     * Asks XSI for the message and reads its answer up to where the app's answer can start: the whole message's
     * first {@link #HEAD} bytes, or the range asked for (the bytes before it skipped, the rest read to its end to
     * learn the total length, nothing kept but the range). XSI's answer is released when the exchange is done.
     */
    public AudioDownload open(Exchange exchange, @Variable("signIn") SignIn signIn,
                              @Variable("messageId") String id, @Variable("range") AudioRange range) throws IOException {
        long until = System.nanoTime() + deadline.toNanos();
        ClassicHttpResponse answer = client.message(signIn, id);
        AudioDownload download = new AudioDownload(signIn, id, answer);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                download.close();
            }
        });
        HttpEntity entity = answer.getEntity();
        if (answer.getCode() != 200) {
            refused(answer, entity, id);
        }
        if (entity == null) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED, "XSI answered a voice message without a body");
        }
        InputStream xml = new Limited(entity.getContent(), maxAudio * 2 + XML_AROUND, until,
                "XSI's answer");
        try {
            VoiceMessageStream message = VoiceMessageStream.open(xml);
            InputStream audio = new Limited(message.audio(), maxAudio, until, "the voice message");
            if (range == null) {
                byte[] head = audio.readNBytes(HEAD);
                download.whole(message.contentType(), head, head.length < HEAD ? null : audio);
                return download;
            }
            long skipped = skip(audio, range.first());
            byte[] part = skipped < range.first() ? new byte[0]
                    : audio.readNBytes((int) Math.min(range.length(), RANGE_WINDOW));
            long total = skipped + part.length + skip(audio, Long.MAX_VALUE);
            if (part.length == 0) {
                download.unsatisfiable(total);
            } else {
                download.part(message.contentType(), range.first(), part, total);
            }
            return download;
        } catch (TooLarge e) {
            throw new ProvisioningFailure(FailureKind.BACKEND_TOO_LARGE, e.getMessage());
        }
    }

    /**
     * The answer: status (200, 206, 416), Content-Type by XSI's media type, Content-Length when known (else
     * chunked, streamed as XSI sends it), Content-Range, Accept-Ranges, and no-store: the link is short-lived and
     * the audio personal, no cache keeps it.
     */
    public void reply(Message message, @Variable("audio") AudioDownload audio, @Variable("caller") Caller caller) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, audio.status());
        message.setHeader(Exchange.CONTENT_TYPE, audio.contentType());
        message.setHeader("Accept-Ranges", "bytes");
        message.setHeader("Cache-Control", "private, no-store");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Request-Id", caller.requestId());
        if (audio.contentRange() != null) {
            message.setHeader("Content-Range", audio.contentRange());
        }
        // a known length is sent as Content-Length (Camel counts the bytes in hand); else chunked, streamed
        message.setHeader(Exchange.HTTP_CHUNKED, audio.length() < 0);
        message.setBody(audio.body(message instanceof PlatformHttpMessage http ? http.getRequest() : null));
    }

    /** XSI did not answer the message: gone (404), busy with another download of the user, or the usual table. */
    private void refused(ClassicHttpResponse answer, HttpEntity entity, String id) throws IOException {
        int status = answer.getCode();
        String where = "XSI VoiceMessagingMessages answered " + status;
        if (status == 404) {
            throw new ProvisioningFailure(FailureKind.VOICEMAIL_MESSAGE_GONE, where);
        }
        byte[] body = entity == null ? new byte[0] : entity.getContent().readNBytes(REFUSAL_READ);
        if (busy(status, body)) {
            throw new ProvisioningFailure(FailureKind.VOICEMAIL_AUDIO_BUSY, where + " (another download in progress)",
                    null, BUSY_RETRY);
        }
        backendFailures.xsi(status, body, entity == null ? null : entity.getContentType(),
                "VoiceMessagingMessages/" + id,
                answer.getFirstHeader("Retry-After") != null ? answer.getFirstHeader("Retry-After").getValue() : null);
    }

    /**
     * XSI refuses a second download of a subscriber while one is in progress (spec 3.4.6.1.3) without a documented
     * code: 409, or a 4xx whose error text says "in progress", is taken for it.
     */
    static boolean busy(int status, byte[] body) {
        return status == 409 || (status >= 400 && status < 500 && status != 401
                && new String(body, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("in progress"));
    }

    /** Reads and drops up to {@code count} bytes; how many there were. */
    private static long skip(InputStream in, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < count) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, count - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    /** More than a limit allows. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** A stream counted against a size limit and a deadline (a trickling XSI is cut off too). */
    static final class Limited extends FilterInputStream {

        private final long limit;
        private final long until;
        private final String what;
        private long count;

        Limited(InputStream in, long limit, long until, String what) {
            super(in);
            this.limit = limit;
            this.until = until;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (System.nanoTime() - until > 0) {
                throw new InterruptedIOException(what + " took longer than provisioning.voicemail.audio-deadline");
            }
            int read = super.read(target, offset, length);
            if (read > 0) {
                count += read;
                if (count > limit) {
                    throw new TooLarge(what + " is larger than provisioning.voicemail.max-audio-size allows");
                }
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            return Math.max(0, read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192)));
        }
    }
}
