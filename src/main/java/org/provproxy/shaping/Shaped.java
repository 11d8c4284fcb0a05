package org.provproxy.shaping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.streams.Steps;

/**
 * An answer as a stylesheet shaped it (an account or a global answer), before it is versioned and sent, with the
 * hash of its content: the ETag's source, and what a token remembers of the account it came with. Held as variable
 * {@code shaped}.
 *
 * <p>The hash covers one line per child of the root, sorted, the token left out: {@code key=value} for an account
 * key, a canonical form (names, sorted attributes, children in order) for structured children. Order and
 * formatting do not count, so every replica computes the same one.
 */
public record Shaped(XdmNode document, String hash) {

    /** The account key the token travels in, left out of the hash (sealing is randomized). */
    public static final String TOKEN_KEY = "X-xsi-token";

    public static Shaped of(XdmNode document) {
        return new Shaped(document, contentHash(document));
    }

    /** SHA-256 of the {@link #contentLines}, base64url. */
    public static String contentHash(XdmNode document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", contentLines(document)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sorted content lines {@link #contentHash} hashes; also what validation compares and shows in a diff. */
    public static List<String> contentLines(XdmNode document) {
        List<String> lines = new ArrayList<>();
        XdmNode root = XmlTrees.rootElement(document);
        if (root == null) {
            return lines;
        }
        for (XdmNode child : XmlTrees.elements(root)) {
            String name = name(child);
            if (!TOKEN_KEY.equals(name)) {
                lines.add(XmlTrees.hasElements(child) ? canonical(child) : name + "=" + child.getStringValue().trim());
            }
        }
        lines.sort(null);
        return lines;
    }

    private static String canonical(XdmNode node) {
        StringBuilder out = new StringBuilder(name(node));
        List<String> attributes = new ArrayList<>();
        for (XdmNode attribute : node.select(Steps.attribute()).toList()) {
            attributes.add(name(attribute) + "=" + attribute.getStringValue());
        }
        attributes.sort(null);
        out.append(attributes).append('{');
        if (XmlTrees.hasElements(node)) {
            for (XdmNode child : XmlTrees.elements(node)) {
                out.append(canonical(child)).append(';');
            }
        } else {
            out.append(node.getStringValue().trim());
        }
        return out.append('}').toString();
    }

    /** The name as written (prefix:local), as the DOM's getNodeName gave it before. */
    private static String name(XdmNode node) {
        String prefix = node.getNodeName().getPrefix();
        String local = node.getNodeName().getLocalName();
        return prefix.isEmpty() ? local : prefix + ":" + local;
    }
}
