package org.provproxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

class XmlDocumentsTest {

    private final XmlDocuments documents = new XmlDocuments();

    @Test
    void contentTypeCharsetWinsOverUtf8Assumption() {
        byte[] latin1 = "<firstName>J\u00fcrgen</firstName>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(documents.parse(latin1, "application/xml;charset=ISO-8859-1", "XSI").getDocumentElement()
                .getTextContent()).isEqualTo("J\u00fcrgen");
    }

    @Test
    void xmlDeclarationDecidesWithoutCharset() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><n>M\u00fcller</n>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(documents.parse(latin1, "application/xml", "XSI").getDocumentElement().getTextContent())
                .isEqualTo("M\u00fcller");
    }

    @Test
    void externalEntitiesAreRefused() {
        byte[] xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> documents.parse(xxe, "application/xml", "DMS"))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(FailureKind.BACKEND_MALFORMED));
    }

    @Test
    void emptyOrTruncatedBodyIsMalformed() {
        for (String body : new String[] {"", "<Profile><details>"}) {
            assertThatThrownBy(() -> documents.parse(body.getBytes(StandardCharsets.UTF_8), null, "XSI"))
                    .isInstanceOfSatisfying(ProvisioningFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(FailureKind.BACKEND_MALFORMED));
        }
    }
}
