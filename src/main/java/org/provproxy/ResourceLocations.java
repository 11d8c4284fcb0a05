package org.provproxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Routes and stylesheets are meant to be edited in place: when the working directory holds {@code routes/} and
 * {@code xslt/} (a checkout, or an operator's install folder), they are read from there; otherwise the copies
 * packaged in the jar are used. Either can be set with {@code provisioning.routes-location} and
 * {@code provisioning.xslt-location}. Routes read from a folder are reloaded when a file there is added or changed
 * (Camel's route reload: only the routes of that file are replaced, the others keep running); Camel keeps the
 * routes of a deleted file until the next restart.
 */
public class ResourceLocations implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("provisioning.routes-location", location("routes"));
        defaults.put("provisioning.xslt-location", location("xslt"));
        environment.getPropertySources().addLast(new MapPropertySource("provisioning-resource-locations", defaults));

        String routes = environment.getProperty("provisioning.routes-location", "");
        boolean reload = routes.startsWith("file:")
                && !"0s".equals(environment.getProperty("provisioning.reload.interval", "500ms"));
        Map<String, Object> reloading = new HashMap<>();
        reloading.put("camel.main.routes-reload-enabled", reload);
        if (reload) {
            reloading.put("camel.main.routes-reload-directory", routes.substring("file:".length()));
            reloading.put("camel.main.routes-reload-pattern", "*.yaml");
            reloading.put("camel.main.routes-reload-remove-all-routes", false);
        }
        environment.getPropertySources().addLast(new MapPropertySource("provisioning-route-reload", reloading));
    }

    private static String location(String folder) {
        return Files.isDirectory(Path.of(folder)) ? "file:" + folder : "classpath:" + folder;
    }
}
