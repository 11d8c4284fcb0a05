package org.provproxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmEmptySequence;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One rule for dialled numbers in both languages: DialNumbers (the dial action web service) and p:dial-number in
 * xslt/lib/common.xsl (quick dial URIs) give the same answer for every case of this table.
 */
class DialNumbersTest {

    private static Xslt30Transformer common;

    @BeforeAll
    static void compileTheStylesheetFunction() throws SaxonApiException {
        Processor saxon = new Processor(false);
        common = saxon.newXsltCompiler().compile(new StreamSource(Path.of("xslt/lib/common.xsl").toFile()))
                .load30();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "<null>", textBlock = """
            +1 (202) 555-0100            | +12025550100
            202.555.0100                 | 2025550100
            202-555-0100                 | 2025550100
            ' (202) 555 0100 '           | 2025550100
            +12025550100                 | +12025550100
            1001                         | 1001
            *72 202 555 0100             | *722025550100
            #21#                         | #21#
            alice.smith@acme.example     | alice.smith@acme.example
            sip:+1-202-555-0100@acme.example | sip:+1-202-555-0100@acme.example
            +1 202 555 0100 ext. 5       | +1 202 555 0100 ext. 5
            1 + 2                        | 1 + 2
            '12 34; rm'                  | '12 34; rm'
            ' lobby '                    | lobby
            '()-.'                       | '()-.'
            """)
    void javaAndTheStylesheetDialTheSameNumber(String written, String dialled) throws SaxonApiException {
        assertThat(DialNumbers.normalize(written)).isEqualTo(dialled);
        assertThat(stylesheet(written)).isEqualTo(dialled);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''
            '   '
            """)
    void nothingDialableLeft(String written) throws SaxonApiException {
        assertThat(DialNumbers.normalize(written)).as("Java: the web service refuses it").isEmpty();
        assertThat(stylesheet(written)).as("XSLT: no number, so no quick dial item").isNull();
    }

    private static String stylesheet(String written) throws SaxonApiException {
        XdmValue result = common.callFunction(new QName("urn:provisioning-proxy", "dial-number"),
                new XdmValue[] {written == null ? XdmEmptySequence.getInstance() : new XdmAtomicValue(written)});
        return result.size() == 0 ? null : result.itemAt(0).getStringValue();
    }
}
