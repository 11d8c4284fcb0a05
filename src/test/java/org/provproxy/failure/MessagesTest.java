package org.provproxy.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every failure the proxy can answer has its message in every language it speaks. */
class MessagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"messages.properties", "messages_de.properties", "messages_es.properties"})
    void everyFailureKindHasAMessage(String bundle) throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages/" + bundle)) {
            messages.load(in);
        }
        for (FailureKind kind : FailureKind.values()) {
            assertThat(messages.getProperty(kind.messageKey())).as("%s in %s", kind.messageKey(), bundle).isNotBlank();
        }
        for (String key : new String[] {"logout.access-gone", "logout.device-removed", "action.call-from-other-phone"}) {
            assertThat(messages.getProperty(key)).as("%s in %s", key, bundle).isNotBlank();
        }
    }
}
