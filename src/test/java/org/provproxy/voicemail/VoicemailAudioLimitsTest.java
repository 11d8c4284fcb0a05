package org.provproxy.voicemail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;

import org.junit.jupiter.api.Test;

/** The bounds of one download (max-audio-size, audio-deadline) and which XSI refusals mean "busy". */
class VoicemailAudioLimitsTest {

    private static final long LATER = System.nanoTime() + 60_000_000_000L;

    @Test
    void aStreamLongerThanItsLimitFails() {
        VoicemailAudio.Limited limited = new VoicemailAudio.Limited(new ByteArrayInputStream(new byte[101]), 100,
                LATER, "the voice message");

        assertThatThrownBy(limited::readAllBytes).isInstanceOf(VoicemailAudio.TooLarge.class)
                .hasMessageContaining("max-audio-size");
    }

    @Test
    void aStreamOfItsLimitExactlyIsRead() throws Exception {
        VoicemailAudio.Limited limited = new VoicemailAudio.Limited(new ByteArrayInputStream(new byte[100]), 100,
                LATER, "the voice message");

        assertThat(limited.readAllBytes()).hasSize(100);
    }

    @Test
    void aStreamPastItsDeadlineFails() {
        VoicemailAudio.Limited limited = new VoicemailAudio.Limited(new ByteArrayInputStream(new byte[10]), 100,
                System.nanoTime() - 1, "XSI's answer");

        assertThatThrownBy(limited::readAllBytes).isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("audio-deadline");
    }

    @Test
    void busyIsA409OrAnErrorSayingInProgress() {
        assertThat(VoicemailAudio.busy(409, new byte[0])).isTrue();
        assertThat(VoicemailAudio.busy(400, "<ErrorInfo><summary>Download already In Progress</summary></ErrorInfo>"
                .getBytes())).isTrue();
        assertThat(VoicemailAudio.busy(400, "<ErrorInfo><summary>bad</summary></ErrorInfo>".getBytes())).isFalse();
        assertThat(VoicemailAudio.busy(401, "in progress".getBytes())).isFalse();
        assertThat(VoicemailAudio.busy(503, "in progress".getBytes())).isFalse();
    }

    @Test
    void aRangeIsOneFirstToLastOrToTheEnd() {
        assertThat(AudioRange.of("bytes=0-1", null)).isEqualTo(new AudioRange(0, 1));
        assertThat(AudioRange.of("bytes=100-", null)).isEqualTo(new AudioRange(100, -1));
        assertThat(AudioRange.of("bytes=-100", null)).isNull();
        assertThat(AudioRange.of("bytes=0-1,5-6", null)).isNull();
        assertThat(AudioRange.of("bytes=5-4", null)).isNull();
        assertThat(AudioRange.of("items=0-1", null)).isNull();
        assertThat(AudioRange.of("bytes=0-1", "\"etag\"")).isNull();
    }
}
