package org.provproxy.shaping;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltCompiler;
import net.sf.saxon.s9api.XsltExecutable;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.account.AccountVersion;
import org.provproxy.request.SignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.w3c.dom.Node;

/**
 * Every stylesheet under {@code provisioning.xslt-location}, compiled once (Saxon-HE, XSLT 3.0) and chosen per
 * request: for tenant {@code t}, {@code tenants/t/<name>.xsl} replaces {@code <name>.xsl}.
 *
 * <p>Operators change stylesheets in place. When the location is a folder it is checked every
 * {@code provisioning.reload.interval}; after any change every stylesheet is compiled again (an override imports
 * the default, so one edit can change several). A stylesheet that compiles replaces its previous version; one
 * that does not is refused: the previous version keeps serving, the error (file, line, message) is logged, kept
 * for {@link #errors()} and turns the health indicator to WARNING. Requests in flight keep the version they
 * started with.
 */
@Component("stylesheets")
public class Stylesheets implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Stylesheets.class);
    private static final Pattern SAFE_TENANT = Pattern.compile("[A-Za-z0-9._-]+");
    public static final Status WARNING = new Status("WARNING", "a stylesheet was refused");

    private final Processor saxon = new Processor(false);
    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    private final String location;
    /** The folder of a file: location, where stylesheets can change while the proxy runs; null for the jar. */
    private final Path folder;
    private final ScheduledExecutorService watcher;
    private volatile Map<String, XsltExecutable> compiled = Map.of();
    private volatile Map<String, String> errors = Map.of();
    private volatile Map<String, String> seen = Map.of();

    public Stylesheets(Environment environment) {
        String configured = environment.getProperty("provisioning.xslt-location", "classpath:xslt");
        this.folder = configured.startsWith("file:")
                ? Path.of(configured.substring("file:".length())).toAbsolutePath().normalize() : null;
        this.location = folder != null ? folder.toUri().toString().replaceAll("/$", "") : configured;
        reload();
        for (String required : List.of("account.xsl", "account-token.xsl", "choose-device.xsl", "global.xsl")) {
            if (!compiled.containsKey(required)) {
                throw new IllegalStateException("stylesheet " + required + " in " + location + " does not compile: "
                        + errors.getOrDefault(required, "missing"));
            }
        }
        long interval = environment.getProperty("provisioning.reload.interval", java.time.Duration.class,
                java.time.Duration.ofMillis(500)).toMillis();
        boolean watch = folder != null && interval > 0;
        this.watcher = watch ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "stylesheet-watcher");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (watch) {
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Shapes {@code input} (usually the walk) with the sign-in's tenant's stylesheet {@code name}; no parameters. */
    public String shape(@Body Object input, @Variable("signIn") SignIn signIn, String name) throws SaxonApiException {
        return transform(signIn.tenant().key(), name, input, Map.of());
    }

    /** Adds the sealed token of the answer's version to a shaped account ({@code account-token.xsl}). */
    public String addToken(@Body Object account, @Variable("signIn") SignIn signIn,
                           @Variable("version") AccountVersion version) throws SaxonApiException {
        return transform(signIn.tenant().key(), "account-token.xsl", account, Map.of("token", version.token()));
    }

    /**
     * Transforms {@code input} (a DOM node, bytes or text) with the stylesheet {@code name} of {@code tenant}
     * (its override, else the default), with these stylesheet parameters.
     */
    public String transform(String tenant, String name, Object input, Map<String, String> parameters)
            throws SaxonApiException {
        Map<QName, XdmValue> values = new LinkedHashMap<>();
        parameters.forEach((parameter, value) -> values.put(new QName(parameter), new XdmAtomicValue(value)));
        return transform(resolve(tenant, name), source(input), values);
    }

    /** The stylesheet that serves {@code name} for {@code tenant}: its override if one compiled, else the default. */
    public String resolve(String tenant, String name) {
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

    private String transform(String key, Source input, Map<QName, XdmValue> parameters) throws SaxonApiException {
        Xslt30Transformer transformer = compiled.get(key).load30();
        transformer.setStylesheetParameters(parameters);
        StringWriter out = new StringWriter();
        Serializer serializer = transformer.newSerializer(out);
        transformer.transform(input, serializer);
        return out.toString();
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

    /** Compiles everything again if any stylesheet was added, changed or removed since the last look. */
    void reloadIfChanged() {
        try {
            if (!stamps().equals(seen)) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.warn("looking for stylesheet changes failed: {}", e.toString());
        }
    }

    private synchronized void reload() {
        Map<String, String> stamps = stamps();
        Map<String, XsltExecutable> next = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        for (String name : stamps.keySet()) {
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
        seen = stamps;
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

    /** Every .xsl below the location with its last-modified time and size (a folder) or nothing (the jar). */
    private Map<String, String> stamps() {
        Map<String, String> stamps = new TreeMap<>();
        try {
            if (folder != null) {
                try (var files = Files.walk(folder)) {
                    for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xsl"))::iterator) {
                        stamps.put(folder.relativize(file).toString().replace('\\', '/'),
                                Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file));
                    }
                }
                return stamps;
            }
            String root = resolver.getResource(location + "/").getURL().toExternalForm();
            for (Resource resource : resolver.getResources(location + "/**/*.xsl")) {
                String url = resource.getURL().toExternalForm();
                if (url.startsWith(root)) {
                    stamps.put(url.substring(root.length()), "");
                }
            }
            return stamps;
        } catch (java.nio.file.NoSuchFileException gone) {
            return stamps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source source(Object body) {
        if (body instanceof Node node) {
            return new DOMSource(node);
        }
        if (body instanceof byte[] bytes) {
            return new StreamSource(new ByteArrayInputStream(bytes));
        }
        return new StreamSource(new StringReader(String.valueOf(body)));
    }

    @Override
    public void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
