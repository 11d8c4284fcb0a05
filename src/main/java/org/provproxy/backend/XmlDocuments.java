package org.provproxy.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.apache.camel.Variable;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses a backend answer into a DOM. XSI profile and service documents come in the user's locale charset
 * (often ISO-8859-1), so bytes are never decoded as UTF-8 by assumption: the Content-Type charset wins (RFC 7303),
 * else the parser reads the XML declaration or byte order mark. Anything unparsable, or not the document the call
 * expects ({@link ExpectedDocument}), is a malformed backend answer.
 */
@Component("xmlDocuments")
public class XmlDocuments {

    private final DocumentBuilderFactory factory = newFactory();

    /**
     * The document of a usable backend answer; malformed XML, or a document other than the call expects, is a
     * {@code backend-malformed} failure.
     */
    public Document parse(@Variable("backendAnswer") BackendAnswer answer, @Variable("backendCall") BackendCall call) {
        if (answer.document() != null) {
            // parsed and checked by the request that fetched it (BackendCache)
            return answer.document();
        }
        String source = call.backend() == BackendCall.Backend.DMS ? "DMS" : "XSI " + call.resource();
        Document document = parse(answer.body(), answer.contentType(), source);
        return call.expected() == null ? document : call.expected().require(document, source);
    }

    public Document parse(byte[] body, String contentType, String source) {
        if (body == null || body.length == 0) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED, source + " answered an empty body");
        }
        InputSource input = new InputSource(new ByteArrayInputStream(body));
        Charset charset = charset(contentType);
        if (charset != null) {
            input.setEncoding(charset.name());
        }
        try {
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(input);
        } catch (SAXException | IOException e) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED,
                    source + " answered malformed XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
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

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try {
            // backend documents are data, never a way to read local files or other hosts (XXE)
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }
}
