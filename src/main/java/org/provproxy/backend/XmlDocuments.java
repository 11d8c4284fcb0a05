package org.provproxy.backend;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;

import javax.xml.transform.sax.SAXSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Variable;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.xml.sax.InputSource;

/**
 * Parses a backend answer, once, into Saxon's immutable tree (the processor of shaping/SaxonConfiguration, DTDs
 * refused): the tree is what the cache keeps, what requests share and what the stylesheets read, never copied into
 * a DOM. XSI profile and service documents come in the user's locale charset
 * (often ISO-8859-1), so bytes are never decoded as UTF-8 by assumption: the Content-Type charset wins (RFC 7303),
 * else the parser reads the XML declaration or byte order mark. Anything unparsable, or not the document the call
 * expects ({@link ExpectedDocument}), is a malformed backend answer.
 */
@Component("xmlDocuments")
public class XmlDocuments {

    private final Processor saxon;

    public XmlDocuments(Processor saxon) {
        this.saxon = saxon;
    }

    /**
     * The document of a usable backend answer; malformed XML, or a document other than the call expects, is a
     * {@code backend-malformed} failure.
     */
    public XdmNode document(@Variable("backendAnswer") BackendAnswer answer, @Variable("backendCall") BackendCall call) {
        if (answer.document() != null) {
            // parsed and checked by the request that fetched it (BackendCache), shared by every request since
            return answer.document();
        }
        String source = call.backend() == BackendCall.Backend.DMS ? "DMS" : "XSI " + call.resource();
        XdmNode document = parse(answer.body(), answer.contentType(), source);
        return call.expected() == null ? document : call.expected().require(document, source);
    }

    public XdmNode parse(byte[] body, String contentType, String source) {
        if (body == null || body.length == 0) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED, source + " answered an empty body");
        }
        InputSource input = new InputSource(new ByteArrayInputStream(body));
        Charset charset = charset(contentType);
        if (charset != null) {
            input.setEncoding(charset.name());
        }
        try {
            // a builder per document (they are not for sharing between threads); the parser comes from Saxon's pool
            return saxon.newDocumentBuilder().build(new SAXSource(input));
        } catch (SaxonApiException e) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED,
                    source + " answered malformed XML: " + e.getMessage());
        }
    }

    static Charset charset(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            return MediaType.parseMediaType(contentType).getCharset();
        } catch (RuntimeException e) {
            // an unparsable Content-Type or unknown charset: let the XML declaration decide
            return null;
        }
    }
}
