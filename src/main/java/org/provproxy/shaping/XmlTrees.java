package org.provproxy.shaping;

import java.util.ArrayList;
import java.util.List;

import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;

/** The little navigation the Java side does on Saxon trees (the stylesheets do the rest). */
public final class XmlTrees {

    private XmlTrees() {
    }

    /** The outermost element of a document (or the element itself); null for a document without one. */
    public static XdmNode rootElement(XdmNode node) {
        if (node.getNodeKind() == XdmNodeKind.ELEMENT) {
            return node;
        }
        for (XdmNode child : node.children()) {
            if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                return child;
            }
        }
        return null;
    }

    /** The element children of {@code node}, in document order. */
    public static List<XdmNode> elements(XdmNode node) {
        List<XdmNode> elements = new ArrayList<>();
        for (XdmNode child : node.children()) {
            if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                elements.add(child);
            }
        }
        return elements;
    }

    /** Whether {@code node} has an element child. */
    public static boolean hasElements(XdmNode node) {
        for (XdmNode child : node.children()) {
            if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                return true;
            }
        }
        return false;
    }

    /** The first descendant element with this local name (any namespace), or null. */
    public static XdmNode firstDescendant(XdmNode node, String localName) {
        for (XdmNode child : node.children()) {
            if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                if (localName.equals(child.getNodeName().getLocalName())) {
                    return child;
                }
                XdmNode inner = firstDescendant(child, localName);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
