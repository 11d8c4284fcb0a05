package org.provproxy.shaping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import net.sf.saxon.lib.FeatureKeys;
import net.sf.saxon.s9api.Processor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one Saxon processor of the proxy. Backend documents are parsed by it into Saxon's own immutable trees
 * (backend/XmlDocuments), the walk document is built as one, and the stylesheets run on them: a tree is only usable
 * by stylesheets of the processor that built it, and no document is ever parsed twice or converted to or from DOM.
 */
@Configuration(proxyBeanMethods = false)
public class SaxonConfiguration {

    @Bean
    Processor saxonProcessor() {
        return newProcessor();
    }

    /** A processor set up as the proxy's (tests and tools make theirs here too). */
    public static Processor newProcessor() {
        Processor saxon = new Processor(false);
        // backend documents are data, never a way to read local files or other hosts (XXE): no DTD at all
        saxon.setConfigurationProperty(parserFeature("http://apache.org/xml/features/disallow-doctype-decl"), true);
        saxon.setConfigurationProperty(parserFeature("http://xml.org/sax/features/external-general-entities"), false);
        saxon.setConfigurationProperty(parserFeature("http://xml.org/sax/features/external-parameter-entities"), false);
        return saxon;
    }

    private static String parserFeature(String feature) {
        return FeatureKeys.XML_PARSER_FEATURE + URLEncoder.encode(feature, StandardCharsets.UTF_8);
    }
}
