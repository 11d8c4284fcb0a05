package org.provproxy.shaping;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import net.sf.saxon.lib.ErrorReporter;
import net.sf.saxon.lib.FeatureKeys;
import net.sf.saxon.s9api.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        // Saxon makes an error reporter for every document it builds, by default one with its own print stream and
        // buffers (a fifth of what a sign-in allocated). A fatal error reaches the caller as an exception anyway
        // (a malformed backend answer, a stylesheet's dynamic error): one shared reporter only logs what comes.
        saxon.getUnderlyingConfiguration().setErrorReporterFactory(configuration -> LOGGED);
        return saxon;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SaxonConfiguration.class);

    /** Warnings and errors of parsing and transforming, at debug: their fatal ones are also thrown. */
    private static final ErrorReporter LOGGED = error -> {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {}", error.isWarning() ? "warning" : "error", error.getMessage());
        }
    };

    private static String parserFeature(String feature) {
        return FeatureKeys.XML_PARSER_FEATURE + URLEncoder.encode(feature, StandardCharsets.UTF_8);
    }
}
