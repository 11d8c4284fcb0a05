package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.provproxy.ops.ValidateCommand;
import org.springframework.util.FileSystemUtils;

/** The operators' validate command, run as they run it (its own Spring context, no backend). */
class ValidateCommandTest {

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = ValidateCommand.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void theExampleOverridesPassTheirSamplesAndTheSharedOnes() {
        String output = run(0, "validate", "--tenant", "legacyco");
        assertThat(output).contains("tenants/legacyco/account.xsl", "compiles")
                .containsPattern("sample +legacyco-desktop-lines +PASS")
                .containsPattern("shared +mobile-three-devices +ok")
                .containsPattern("\\d+ passed, 0 failed");
    }

    @Test
    void aProductionConfigurationValidatesAsItIs() {
        // demo off, the operator's public URL and key: the replayed dial action URL is still the samples' ${proxy}
        String output = run(0, "validate", "--tenant", "acme", "--provisioning.demo.enabled=false",
                "--provisioning.public-url=https://prov.example.com",
                "--provisioning.token.keys[0].id=k1",
                "--provisioning.token.keys[0].secret=" + ProxyTestSupport.TEST_KEY,
                "--provisioning.tenants.acme.xsi-url=https://xsp.acme.example/com.broadsoft.xsi-actions",
                "--provisioning.tenants.acme.user-domain=acme.example",
                "--provisioning.tenants.acme.dial-actions.statics[0].id=operator",
                "--provisioning.tenants.acme.dial-actions.statics[0].label=Call via operator",
                "--provisioning.tenants.acme.dial-actions.statics[0].url=https://operator.acme.example/dial?n=%number%");
        assertThat(output).containsPattern("sample +global-empty-monitored-list +PASS")
                .containsPattern("sample +contacts-paged-directory +PASS")
                .containsPattern("sample +contacts-names-iso-8859-1 +PASS")
                .containsPattern("sample +contacts-directory-not-assigned +PASS")
                .containsPattern("sample +call-history-mixed +PASS")
                .containsPattern("sample +call-history-json +PASS")
                .containsPattern("sample +call-history-since +PASS")
                .containsPattern("sample +call-history-not-assigned +PASS")
                .containsPattern("sample +call-history-names-iso-8859-1 +PASS")
                .containsPattern("\\d+ passed, 0 failed");
    }

    @Test
    void aContactsOverrideIsValidatedAgainstTheContactsSamples() throws IOException {
        // an operator renames the work number's label; the sample still expects 'work'
        Path xslt = Path.of("target/validate-contacts-xslt");
        FileSystemUtils.deleteRecursively(xslt);
        FileSystemUtils.copyRecursively(Path.of("xslt"), xslt);
        Files.createDirectories(xslt.resolve("tenants/acme"));
        Files.writeString(xslt.resolve("tenants/acme/contacts.xsl"), """
                <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:p="urn:provisioning-proxy">
                  <xsl:import href="../../contacts.xsl"/>
                  <xsl:variable name="p:label-work" as="xs:string" select="'office'"/>
                </xsl:stylesheet>
                """);
        Path samples = Path.of("target/validate-contacts-samples");
        FileSystemUtils.deleteRecursively(samples);
        FileSystemUtils.copyRecursively(Path.of("samples/contacts-group-user"), samples.resolve("contacts-group-user"));

        String output = run(1, "validate", "--tenant", "acme", "--samples", samples.toString(),
                "--provisioning.xslt-location=file:" + xslt);

        assertThat(output).containsPattern("sample +contacts-group-user +FAIL")
                .contains("- \"label\" : \"work\"", "+ \"label\" : \"office\"")
                .contains("0 passed, 1 failed");
    }

    @Test
    void aCallHistoryOverrideIsValidatedAgainstTheCallHistorySamplesOrderIncluded() throws IOException {
        // an operator's override writes the names in capitals: the samples expect them as XSI sent them
        Path xslt = Path.of("target/validate-call-history-xslt");
        FileSystemUtils.deleteRecursively(xslt);
        FileSystemUtils.copyRecursively(Path.of("xslt"), xslt);
        Files.createDirectories(xslt.resolve("tenants/acme"));
        Files.writeString(xslt.resolve("tenants/acme/call-history.xsl"), """
                <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                    xmlns:p="urn:provisioning-proxy">
                  <xsl:import href="../../call-history.xsl"/>
                  <xsl:template match="*:callLogsEntry" mode="p:call">
                    <xsl:sequence select="p:call(local-name(..), ., p:dial-number(*:phoneNumber),
                                                 upper-case(p:first(*:name)))"/>
                  </xsl:template>
                </xsl:stylesheet>
                """);
        Path samples = Path.of("target/validate-call-history-samples");
        FileSystemUtils.deleteRecursively(samples);
        for (String name : new String[] {"call-history-mixed", "call-history-json"}) {
            FileSystemUtils.copyRecursively(Path.of("samples/" + name), samples.resolve(name));
        }
        // and one sample expecting the calls in another order than the proxy's
        FileSystemUtils.copyRecursively(Path.of("samples/call-history-mixed"), samples.resolve("reordered"));
        Path expected = samples.resolve("reordered/expected.xml");
        String xml = Files.readString(expected);
        Files.writeString(expected, xml.replace("id=\"missed-100:0\"", "id=\"swap\"")
                .replace("id=\"missed-103:0\"", "id=\"missed-100:0\"").replace("id=\"swap\"", "id=\"missed-103:0\"")
                .replace("Erin Lee", "swap").replace("Frank Miller", "Erin Lee").replace("swap", "Frank Miller")
                .replace("2025550142", "swap").replace("+12025550177", "2025550142").replace("swap", "+12025550177"));

        String withOverride = run(1, "validate", "--tenant", "acme", "--samples", samples.toString(),
                "--provisioning.xslt-location=file:" + xslt);
        String asShipped = run(1, "validate", "--tenant", "acme", "--samples", samples.toString());

        assertThat(withOverride).containsPattern("sample +call-history-mixed +FAIL")
                .containsPattern("sample +call-history-json +FAIL")
                .contains("name[]{Dave Jones}", "name[]{DAVE JONES}")
                .contains("- \"name\" : \"Dave Jones\"", "+ \"name\" : \"DAVE JONES\"");
        assertThat(asShipped).containsPattern("sample +call-history-mixed +PASS")
                .containsPattern("sample +call-history-json +PASS")
                .containsPattern("sample +reordered +FAIL")
                .contains("(the same calls in another order)")
                .contains("2 passed, 1 failed");
    }

    @Test
    void theOfflineWalkCarriesTheDeviceTheTenantChose() {
        // the line-port fallbacks of pickco's sample come from the device its choose-device.xsl chose
        String output = run(0, "validate", "--tenant", "pickco");
        assertThat(output).containsPattern("sample +pickco-choose-device-line-port +PASS")
                .containsPattern("\\d+ passed, 0 failed");
    }

    @Test
    void aWrongExpectationFailsWithADiff() throws IOException {
        Path samples = Path.of("target/validate-samples");
        FileSystemUtils.deleteRecursively(samples);
        FileSystemUtils.copyRecursively(Path.of("samples/deptco-department"), samples.resolve("deptco-department"));
        Path expected = samples.resolve("deptco-department/expected.xml");
        Files.writeString(expected, Files.readString(expected).replace("(Sales)", "(Marketing)"));

        String output = run(1, "validate", "--tenant", "deptco", "--samples", samples.toString());

        assertThat(output).containsPattern("sample +deptco-department +FAIL")
                .contains("- title=Alice Example (Marketing)", "+ title=Alice Example (Sales)")
                .contains("0 passed, 1 failed");
    }

    @Test
    void aBlankTitleFromAnOverrideFallsBackToTheName() throws IOException {
        // the app refuses an account without a title: account.xsl never sends one empty
        Path xslt = Path.of("target/validate-blank-title/xslt");
        Path samples = Path.of("target/validate-blank-title/samples");
        FileSystemUtils.deleteRecursively(xslt.getParent());
        FileSystemUtils.copyRecursively(Path.of("xslt"), xslt);
        FileSystemUtils.copyRecursively(Path.of("samples/deptco-no-department"), samples.resolve("deptco-no-department"));
        Path override = xslt.resolve("tenants/deptco/account.xsl");
        String blankTitle = Files.readString(override).replaceFirst(
                "(?s)(mode=\"p:title\">.*?)<xsl:sequence select=\"[^\"]*\"/>", "$1<xsl:sequence select=\"' '\"/>");
        assertThat(blankTitle).contains("<xsl:sequence select=\"' '\"/>");
        Files.writeString(override, blankTitle);

        String output = run(0, "validate", "--tenant", "deptco", "--samples", samples.toString(),
                "--provisioning.xslt-location=file:" + xslt);

        assertThat(output).containsPattern("sample +deptco-no-department +PASS");
    }

    @Test
    void aStylesheetThatDoesNotCompileFails() throws IOException {
        Path xslt = Path.of("target/validate-xslt");
        FileSystemUtils.deleteRecursively(xslt);
        FileSystemUtils.copyRecursively(Path.of("xslt"), xslt);
        Path override = xslt.resolve("tenants/deptco/account.xsl");
        Files.writeString(override, Files.readString(override).replace("</xsl:template>", "</xsl:templat>"));

        String output = run(1, "validate", "--tenant", "deptco", "--provisioning.xslt-location=file:" + xslt);

        assertThat(output).containsPattern("xslt +tenants/deptco/account.xsl +FAIL").contains("account.xsl:");
    }
}
