package org.provproxy.shaping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltCompiler;
import net.sf.saxon.s9api.XsltExecutable;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.reload.FolderWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Every stylesheet under {@code provisioning.xslt-location}, compiled once (Saxon-HE, XSLT 3.0) and chosen per
 * request: for tenant {@code t}, {@code tenants/t/<name>.xsl} replaces {@code <name>.xsl}.
 *
 * <p>Operators change stylesheets in place. When the location is a folder it is checked ({@link FolderWatcher})
 * every {@code provisioning.reload.interval}; after any change every stylesheet is compiled again (an override
 * imports the default, so one edit can change several). A stylesheet that compiles replaces its previous version; one
 * that does not is refused: the previous version keeps serving, the error (file, line, message) is logged, kept
 * for {@link #errors()} and turns the health indicator to WARNING. Requests in flight keep the version they
 * started with.
 *
 * <p>Stylesheets read and write Saxon trees (backend/XmlDocuments, walk/WalkDocumentBuilder): a result is serialized
 * only when it leaves the proxy.
 */
@Component("stylesheets")
public class Stylesheets implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Stylesheets.class);
    private static final Pattern SAFE_TENANT = Pattern.compile("[A-Za-z0-9._-]+");
    /** The health of a refused stylesheet (the previous version still serving). */
    public static final Status WARNING = FolderWatcher.REFUSED;

    private final Processor saxon;
    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    private final String location;
    /** The folder of a file: location, where stylesheets can change while the proxy runs; null for the jar. */
    private final Path folder;
    /** The watch of the folder, or null (the jar, or reload off). */
    private final FolderWatcher.Registration watch;
    private volatile Map<String, XsltExecutable> compiled = Map.of();
    private volatile Map<String, String> errors = Map.of();

    public Stylesheets(ProvisioningProperties properties, FolderWatcher watcher, Processor saxon) {
        this.saxon = saxon;
        String configured = properties.getXsltLocation();
        this.folder = configured.startsWith("file:")
                ? Path.of(configured.substring("file:".length())).toAbsolutePath().normalize() : null;
        this.location = folder != null ? folder.toUri().toString().replaceAll("/$", "") : configured;
        // watched before the first compilation, so a stylesheet saved while it runs is compiled again
        this.watch = folder != null ? watcher.watch(folder, ".xsl", changes -> reload()) : null;
        reload();
        for (String required : List.of("account.xsl", "account-token.xsl", "choose-device.xsl", "global.xsl")) {
            if (!compiled.containsKey(required)) {
                destroy();
                throw new IllegalStateException("stylesheet " + required + " in " + location + " does not compile: "
                        + errors.getOrDefault(required, "missing"));
            }
        }
    }

    /**
     * Transforms {@code input} with the stylesheet {@code name} of {@code tenant} (its override, else the default),
     * with these stylesheet parameters, into a tree.
     */
    public XdmNode transformToTree(String tenant, String name, XdmNode input, Map<String, String> parameters)
            throws SaxonApiException {
        return transformToTree(executable(tenant, name), input, parameters);
    }

    /** Transforms {@code input} with this compiled stylesheet ({@link #executable}) into a tree. */
    public XdmNode transformToTree(XsltExecutable stylesheet, XdmNode input, Map<String, String> parameters)
            throws SaxonApiException {
        Xslt30Transformer transformer = load(stylesheet, parameters);
        XdmDestination result = new XdmDestination();
        transformer.transform(input.asSource(), result);
        return result.getXdmNode();
    }

    /** As {@link #transformToTree}, serialized as the stylesheet's xsl:output says. */
    public byte[] transformToBytes(String tenant, String name, XdmNode input, Map<String, String> parameters)
            throws SaxonApiException {
        Xslt30Transformer transformer = load(executable(tenant, name), parameters);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        transformer.transform(input.asSource(), transformer.newSerializer(out));
        return out.toByteArray();
    }

    /** A tree the stylesheet {@code name} made, serialized as its xsl:output says (without running it again). */
    public byte[] serialize(String tenant, String name, XdmNode result) throws SaxonApiException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        Serializer serializer = executable(tenant, name).load30().newSerializer(out);
        serializer.serializeNode(result);
        return out.toByteArray();
    }

    /**
     * The compiled stylesheet serving {@code name} for {@code tenant} now. A new object after every reload, so it
     * also says which version of the stylesheets an answer was shaped by (shaping/Shaping keys its cache by it).
     */
    public XsltExecutable executable(String tenant, String name) {
        Map<String, XsltExecutable> now = compiled;
        return now.get(resolve(now, tenant, name));
    }

    /** The stylesheet that serves {@code name} for {@code tenant}: its override if one compiled, else the default. */
    public String resolve(String tenant, String name) {
        return resolve(compiled, tenant, name);
    }

    private String resolve(Map<String, XsltExecutable> compiled, String tenant, String name) {
        if (tenant != null && SAFE_TENANT.matcher(tenant).matches()) {
            String override = "tenants/" + tenant + "/" + name;
            if (compiled.containsKey(override)) {
                return override;
            }
        }
        if (!compiled.containsKey(name)) {
            throw new IllegalStateException("no stylesheet " + name + " in " + location);
        }
        return name;
    }

    private static Xslt30Transformer load(XsltExecutable executable, Map<String, String> parameters)
            throws SaxonApiException {
        Xslt30Transformer transformer = executable.load30();
        if (!parameters.isEmpty()) {
            Map<QName, XdmValue> values = new LinkedHashMap<>();
            parameters.forEach((parameter, value) -> values.put(new QName(parameter), new XdmAtomicValue(value)));
            transformer.setStylesheetParameters(values);
        }
        return transformer;
    }

    /** Stylesheets refused at the last compilation: relative path -> "file:line: message". */
    public Map<String, String> errors() {
        return errors;
    }

    /** Every stylesheet that serves now, by path relative to the location. */
    public java.util.Set<String> names() {
        return compiled.keySet();
    }

    @Override
    public Health health() {
        return errors.isEmpty() ? Health.up().withDetail("stylesheets", compiled.size()).build()
                : Health.status(WARNING).withDetail("refused", errors).build();
    }

    /**
     * Compiles every stylesheet again: at start, and after any was added, changed or removed (an override imports
     * the default, so one edit can change several).
     */
    private synchronized void reload() {
        Map<String, XsltExecutable> next = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        for (String name : list()) {
            List<String> problems = new ArrayList<>();
            Optional<XsltExecutable> executable = compile(name, problems);
            if (executable.isPresent()) {
                next.put(name, executable.get());
            } else {
                String problem = problems.isEmpty() ? "does not compile" : String.join("; ", problems);
                refused.put(name, problem);
                XsltExecutable previous = compiled.get(name);
                if (previous != null) {
                    next.put(name, previous);
                }
                LOG.error("stylesheet refused, {}: {}", previous != null ? "the previous version keeps serving"
                        : "not in use", problem);
            }
        }
        if (!compiled.isEmpty()) {
            LOG.info("stylesheets reloaded: {} serving, {} refused", next.size(), refused.size());
        }
        compiled = Collections.unmodifiableMap(next);
        errors = Collections.unmodifiableMap(refused);
    }

    private Optional<XsltExecutable> compile(String name, List<String> problems) {
        XsltCompiler compiler = saxon.newXsltCompiler();
        compiler.setErrorReporter(error -> {
            if (!error.isWarning()) {
                var where = error.getLocation();
                String file = where.getSystemId() == null ? name
                        : where.getSystemId().substring(where.getSystemId().lastIndexOf('/') + 1);
                problems.add(file + ":" + where.getLineNumber() + ": " + error.getMessage());
            }
        });
        try {
            Resource resource = resolver.getResource(location + "/" + name);
            StreamSource source = new StreamSource(resource.getInputStream(), resource.getURL().toExternalForm());
            return Optional.of(compiler.compile(source));
        } catch (SaxonApiException e) {
            if (problems.isEmpty()) {
                problems.add(name + ": " + e.getMessage());
            }
            return Optional.empty();
        } catch (IOException e) {
            problems.add(name + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Every .xsl below the location, by path relative to it: as the watcher sees them (a folder), or in the jar. */
    private SortedSet<String> list() {
        try {
            if (folder != null) {
                return FolderWatcher.files(folder, ".xsl");
            }
            SortedSet<String> names = new TreeSet<>();
            String root = resolver.getResource(location + "/").getURL().toExternalForm();
            for (Resource resource : resolver.getResources(location + "/**/*.xsl")) {
                String url = resource.getURL().toExternalForm();
                if (url.startsWith(root)) {
                    names.add(url.substring(root.length()));
                }
            }
            return names;
        } catch (java.nio.file.NoSuchFileException gone) {
            return new TreeSet<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroy() {
        if (watch != null) {
            watch.cancel();
        }
    }
}
