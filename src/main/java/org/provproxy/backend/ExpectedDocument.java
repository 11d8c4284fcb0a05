package org.provproxy.backend;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import net.sf.saxon.s9api.XdmNode;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.shaping.XmlTrees;

/**
 * What a backend answer must be to be read as the document it claims to be: its root element (one of the accepted
 * names) and, for XSI, the XSI namespace. A well-formed page of another kind (a maintenance page, a load balancer's
 * XHTML, a misrouted answer) would otherwise read as "no device", an empty profile or an empty BLF.
 *
 * @param namespace the root's namespace URI, or null to accept any (device files carry none)
 * @param roots     the root element's accepted local names
 */
public record ExpectedDocument(String namespace, Set<String> roots) {

    /** The namespace of every XSI document. */
    public static final String XSI_NAMESPACE = "http://schema.broadsoft.com/xsi";

    public ExpectedDocument {
        roots = Set.copyOf(roots);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("an expected document needs a root element name");
        }
    }

    /** An XSI document whose root is one of {@code roots} ({@code |} between spellings), in the XSI namespace. */
    public static ExpectedDocument xsi(String roots) {
        return new ExpectedDocument(XSI_NAMESPACE, names(roots));
    }

    /** A device file whose root is one of {@code roots} ({@code |} between spellings), in any namespace. */
    public static ExpectedDocument deviceFile(String roots) {
        return new ExpectedDocument(null, names(roots));
    }

    /** The document when it is the expected one; else a {@code backend-malformed} failure naming what came. */
    public XdmNode require(XdmNode document, String source) {
        XdmNode root = XmlTrees.rootElement(document);
        String name = root == null ? "" : root.getNodeName().getLocalName();
        String uri = root == null ? "" : root.getNodeName().getNamespace();
        boolean inNamespace = namespace == null || namespace.equals(uri);
        if (!roots.contains(name) || !inNamespace) {
            throw new ProvisioningFailure(FailureKind.BACKEND_MALFORMED, source + " answered <" + shown(name) + ">"
                    + (!uri.isEmpty() ? " in " + shown(uri) : " without namespace") + ", not " + this);
        }
        return document;
    }

    @Override
    public String toString() {
        String names = roots.stream().sorted().map(r -> "<" + r + ">").collect(Collectors.joining(" or "));
        return namespace == null ? names : names + " in " + namespace;
    }

    /** The backend's text goes to the log: cut short, and without characters that could forge a log line. */
    private static String shown(String text) {
        String safe = text.replaceAll("[^\\x21-\\x7e]", "?");
        return safe.length() > 100 ? safe.substring(0, 100) + "..." : safe;
    }

    private static Set<String> names(String roots) {
        return Arrays.stream(Objects.requireNonNull(roots, "roots").split("\\|")).map(String::trim)
                .filter(name -> !name.isEmpty()).collect(Collectors.toSet());
    }
}
