package org.provproxy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.provproxy.reload.RouteFiles;
import org.provproxy.shaping.Stylesheets;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Routes and stylesheets are meant to be edited in place: when the working directory holds {@code routes/} and
 * {@code xslt/} (a checkout, or an operator's install folder), they are read from there; otherwise the copies
 * packaged in the jar are used. Either can be set with {@code provisioning.routes-location} and
 * {@code provisioning.xslt-location} (bound to {@link ProvisioningProperties}; these defaults come last, so any
 * setting wins); both are reloaded on change when read from a folder (see {@link RouteFiles} and
 * {@link Stylesheets}).
 */
public class ResourceLocations implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = Map.of(
                "provisioning.routes-location", location("routes"),
                "provisioning.xslt-location", location("xslt"));
        environment.getPropertySources().addLast(new MapPropertySource("provisioning-resource-locations", defaults));
    }

    private static String location(String folder) {
        return Files.isDirectory(Path.of(folder)) ? "file:" + folder : "classpath:" + folder;
    }
}
