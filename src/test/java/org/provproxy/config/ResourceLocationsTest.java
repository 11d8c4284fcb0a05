package org.provproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Route files packaged on the classpath are named one by one, subfolders kept, so Camel loads each as it is. */
class ResourceLocationsTest {

    @Test
    void packagedRouteFilesAreListedWithTheirSubfolders() {
        List<String> files = List.of(ResourceLocations.packaged("classpath:routes").split(","));

        assertThat(files).contains("classpath:routes/api/provisioning.yaml", "classpath:routes/config/errors.yaml",
                "classpath:routes/walk/xsi-parts.yaml").allMatch(file -> file.endsWith(".yaml"));
    }

    @Test
    void aMissingLocationFallsBackToCamelsOwnPattern() {
        assertThat(ResourceLocations.packaged("classpath:no-such-routes")).isEqualTo("classpath:no-such-routes/**/*.yaml");
    }
}
