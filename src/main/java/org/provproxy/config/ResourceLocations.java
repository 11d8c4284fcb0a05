package org.provproxy.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Routes and stylesheets are meant to be edited in place: when the working directory holds {@code routes/} and
 * {@code xslt/} (a checkout, or an operator's install folder), they are read from there; otherwise the copies
 * packaged in the jar are used. Either can be set with {@code provisioning.routes-location} and
 * {@code provisioning.xslt-location} (bound to {@link ProvisioningProperties}; these defaults come last, so any
 * setting wins); both are reloaded on change when read from a folder ({@code reload/}).
 *
 * <p>Also which route files Camel loads at start: every {@code *.yaml} below the routes location, subfolders
 * included ({@code camel.main.routes-include-pattern}). From a folder that is Camel's own {@code **} pattern;
 * inside the packaged jar Camel's scan drops the subfolder from the names it finds, so the files are listed here,
 * one by one, by Spring's resolver, which reads nested jars right.
 */
public class ResourceLocations implements EnvironmentPostProcessor {

    static final String ROUTES = "provisioning.routes-location";
    static final String INCLUDE = "camel.main.routes-include-pattern";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(ROUTES, location("routes"));
        defaults.put("provisioning.xslt-location", location("xslt"));
        String routes = environment.getProperty(ROUTES, (String) defaults.get(ROUTES)).replaceAll("/+$", "");
        // from a folder the placeholder stays, so a location set late (a test's property source) still counts
        defaults.put(INCLUDE, routes.startsWith("classpath:") ? packaged(routes) : "${" + ROUTES + "}/**/*.yaml");
        environment.getPropertySources().addLast(new MapPropertySource("provisioning-resource-locations", defaults));
    }

    private static String location(String folder) {
        return Files.isDirectory(Path.of(folder)) ? "file:" + folder : "classpath:" + folder;
    }

    /** Every route file below a classpath location, named one by one ({@code classpath:routes/api/x.yaml,…}). */
    static String packaged(String location) {
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            Resource folder = resolver.getResource(location + "/");
            if (!folder.exists()) {
                return location + "/**/*.yaml";
            }
            String root = folder.getURL().toExternalForm();
            List<String> files = new ArrayList<>();
            for (Resource resource : resolver.getResources(location + "/**/*.yaml")) {
                String url = resource.getURL().toExternalForm();
                if (url.startsWith(root)) {
                    files.add(location + "/" + url.substring(root.length()));
                }
            }
            files.sort(null);
            // nothing found: Camel's own pattern, which then finds nothing too and says so
            return files.isEmpty() ? location + "/**/*.yaml" : String.join(",", files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
