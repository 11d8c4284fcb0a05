package org.provproxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.shaping.SaxonConfiguration;

class XmlDocumentsTest {

    private final XmlDocuments documents = new XmlDocuments(SaxonConfiguration.newProcessor());

    @Test
    void contentTypeCharsetWinsOverUtf8Assumption() {
        byte[] latin1 = "<firstName>J\u00fcrgen</firstName>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(documents.parse(latin1, "application/xml;charset=ISO-8859-1", "XSI").getStringValue())
                .isEqualTo("J\u00fcrgen");
    }

    @Test
    void xmlDeclarationDecidesWithoutCharset() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><n>M\u00fcller</n>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(documents.parse(latin1, "application/xml", "XSI").getStringValue())
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

    @Test
    void aDocumentIsReadOnlyAsTheOneItClaimsToBe() {
        ExpectedDocument devices = ExpectedDocument.xsi("AccessDevices");
        String xsi = "http://schema.broadsoft.com/xsi";
        assertThat(devices.require(parse("<AccessDevices xmlns=\"" + xsi + "\"/>"), "XSI profile/Device")
                .children().iterator().next().getNodeName().getLocalName()).isEqualTo("AccessDevices");
        for (String other : new String[] {
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>Down for maintenance</body></html>",
            "<AccessDevices/>",
            "<AccessDevices xmlns=\"http://schema.example.com/other\"/>",
            "<Profile xmlns=\"" + xsi + "\"/>"}) {
            assertThatThrownBy(() -> devices.require(parse(other), "XSI profile/Device")).as(other)
                    .isInstanceOfSatisfying(ProvisioningFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(FailureKind.BACKEND_MALFORMED);
                        assertThat(f.getMessage()).contains("XSI profile/Device", "<AccessDevices> in " + xsi);
                    });
        }
    }

    @Test
    void acceptedSpellingsAndDeviceFilesInAnyNamespace() {
        ExpectedDocument speedDial = ExpectedDocument.xsi("SpeedDial8 | SpeedDial");
        String xsi = "http://schema.broadsoft.com/xsi";
        assertThat(speedDial.roots()).containsExactlyInAnyOrder("SpeedDial8", "SpeedDial");
        speedDial.require(parse("<SpeedDial xmlns=\"" + xsi + "\"/>"), "XSI services/SpeedDial8");

        ExpectedDocument file = ExpectedDocument.deviceFile("config");
        file.require(parse("<config version=\"1\"/>"), "DMS");
        file.require(parse("<config xmlns=\"urn:uc-one\"/>"), "DMS");
        assertThatThrownBy(() -> file.require(parse("<html><body>Sign in</body></html>"), "DMS"))
                .isInstanceOfSatisfying(ProvisioningFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(FailureKind.BACKEND_MALFORMED));
    }

    @Test
    void whatABackendNamesIsLoggedWithoutLineBreaks() {
        assertThatThrownBy(() -> ExpectedDocument.xsi("Profile").require(
                parse("<Profile xmlns=\"urn:x&#10;FORGED LINE\"/>"), "XSI profile"))
                .hasMessageNotContaining("\n").hasMessageContaining("urn:x?FORGED?LINE");
    }

    private net.sf.saxon.s9api.XdmNode parse(String xml) {
        return documents.parse(xml.getBytes(StandardCharsets.UTF_8), "application/xml", "test");
    }
}
