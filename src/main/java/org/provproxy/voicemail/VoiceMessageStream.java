package org.provproxy.voicemail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/**
 * XSI's {@code VoiceMessage} read as it arrives, never whole: StAX over the answer's stream up to
 * {@code messageMediaContent/mediaType} and the start of {@code content}, then {@link #audio()}: the base64 text of
 * {@code content} decoded on the fly, chunk by chunk as the parser reports it. Woodstox, not the JDK's parser:
 * without coalescing it hands a long text over in pieces of its input buffer, where the JDK's gathers a text node
 * whole (a 50 MB message would be 67 MB of characters). No DTD, no external entities.
 */
final class VoiceMessageStream {

    static final String XSI = "http://schema.broadsoft.com/xsi";
    /** XSI's media types (spec: WAV, MOV, ...) and what the app's player is told. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "WAV", "audio/wav",
            "MP3", "audio/mpeg",
            "MOV", "video/quicktime",
            "MP4", "video/mp4",
            "3GP", "video/3gpp",
            "AMR", "audio/amr",
            "OGG", "audio/ogg");
    private static final int MAX_MEDIA_TYPE = 100;
    private static final XMLInputFactory FACTORY = factory();

    private final XMLStreamReader reader;
    private final String mediaType;

    private VoiceMessageStream(XMLStreamReader reader, String mediaType) {
        this.reader = reader;
        this.mediaType = mediaType;
    }

    /**
     * Reads {@code xml} up to where the audio starts; a document that is no {@code VoiceMessage} of XSI, or one
     * without {@code content}, is {@code backend-malformed}. I/O errors pass as they are (XSI unavailable).
     */
    static VoiceMessageStream open(InputStream xml) throws IOException {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(xml);
            reader.nextTag();
            if (!XSI.equals(reader.getNamespaceURI()) || !"VoiceMessage".equals(reader.getLocalName())) {
                throw malformed("XSI answered <" + reader.getLocalName() + "> in " + reader.getNamespaceURI()
                        + " for a voice message");
            }
            String mediaType = "";
            String section = "";
            int depth = 1;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2) {
                        section = XSI.equals(reader.getNamespaceURI()) ? reader.getLocalName() : "";
                    } else if (depth == 3 && section.equals("messageMediaContent") && XSI.equals(reader.getNamespaceURI())) {
                        if ("mediaType".equals(reader.getLocalName())) {
                            mediaType = text(reader);
                            depth--;
                        } else if ("content".equals(reader.getLocalName())) {
                            return new VoiceMessageStream(reader, mediaType);
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            throw malformed("XSI's voice message holds no content");
        } catch (XMLStreamException e) {
            throw unreadable(e);
        }
    }

    /** XSI's media type, e.g. {@code WAV}; empty when it names none. */
    String mediaType() {
        return mediaType;
    }

    /** The Content-Type for the app: by XSI's media type, application/octet-stream for one not known here. */
    String contentType() {
        return CONTENT_TYPES.getOrDefault(mediaType.trim().toUpperCase(Locale.ROOT), "application/octet-stream");
    }

    /** The decoded audio, read from XSI's answer as it is read. */
    InputStream audio() {
        return Base64.getMimeDecoder().wrap(new ContentText());
    }

    /** A short element's text (the media type), bounded. */
    private static String text(XMLStreamReader reader) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return text.toString().trim();
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                throw malformed("XSI's mediaType holds elements");
            }
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                if (text.length() > MAX_MEDIA_TYPE) {
                    throw malformed("XSI's mediaType is too long");
                }
            }
        }
    }

    private static ProvisioningFailure malformed(String detail) {
        return new ProvisioningFailure(FailureKind.BACKEND_MALFORMED, detail);
    }

    /** An XML error with an I/O error (XSI broke off) underneath is that I/O error; else a malformed answer. */
    private static IOException unreadable(XMLStreamException e) throws IOException {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                throw io;
            }
        }
        throw malformed("XSI's voice message is no well-formed XML: " + e.getMessage());
    }

    /**
     * The characters of {@code content} as bytes (base64 is ASCII), piece by piece as the parser has them; ends
     * with {@code </content>}. Anything but text inside is malformed; a broken document an I/O error, so a body
     * already under way is cut off rather than ended.
     */
    private final class ContentText extends InputStream {

        private char[] chars;
        private int position;
        private int end;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= end) {
                if (done || !nextText()) {
                    return -1;
                }
            }
            int count = Math.min(length, end - position);
            for (int i = 0; i < count; i++) {
                char c = chars[position + i];
                // outside ASCII it is no base64; the decoder skips other non-alphabet characters (line breaks)
                target[offset + i] = c < 128 ? (byte) c : (byte) ' ';
            }
            position += count;
            return count;
        }

        private boolean nextText() throws IOException {
            try {
                while (true) {
                    int event = reader.next();
                    switch (event) {
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            chars = reader.getTextCharacters();
                            position = reader.getTextStart();
                            end = position + reader.getTextLength();
                            return true;
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            done = true;
                            return false;
                        }
                        case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                            // nothing of the audio
                        }
                        default -> throw new IOException("XSI's voice message content holds more than text");
                    }
                }
            } catch (XMLStreamException e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                }
                throw new IOException("XSI's voice message broke off: " + e.getMessage());
            }
        }
    }

    private static XMLInputFactory factory() {
        WstxInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // small pieces: the text of content is handed over as it arrives, never gathered
        factory.setProperty(WstxInputProperties.P_MIN_TEXT_SEGMENT, 64);
        factory.setProperty(WstxInputProperties.P_INPUT_BUFFER_LENGTH, 8000);
        return factory;
    }
}
