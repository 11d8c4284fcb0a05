package org.provproxy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import org.junit.jupiter.api.Test;
import org.provproxy.config.ConfigurationProblems;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * ops/k8s/ as kustomize deploys it, checked against the application: probes on the actuator's probe paths and on
 * server.port, the Service and the shared cache's headless Service on the container's ports, the ConfigMap's
 * application.yaml and the Secret's variables binding to ProvisioningProperties and passing its validation, a
 * read-only root running as non-root, and the budget and autoscaler selecting the Deployment.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("ops/k8s");

    private final Map<String, Map<String, Object>> objects = manifests();

    /** Every object of the files kustomization.yaml lists, by "Kind/name". */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> manifests() {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        Map<String, Object> kustomization = (Map<String, Object>) load(K8S.resolve("kustomization.yaml")).get(0);
        for (String file : (List<String>) kustomization.get("resources")) {
            for (Object document : load(K8S.resolve(file))) {
                Map<String, Object> object = (Map<String, Object>) document;
                String key = object.get("kind") + "/" + map(object, "metadata").get("name");
                assertThat(objects.put(key, object)).as("%s once", key).isNull();
            }
        }
        return objects;
    }

    private static List<Object> load(Path file) {
        try {
            List<Object> documents = new ArrayList<>();
            new Yaml().loadAll(Files.readString(file)).forEach(documents::add);
            return documents;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String... path) {
        Map<String, Object> current = parent;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
            assertThat(current).as("%s", String.join(".", path)).isNotNull();
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) parent.get(key);
        return list == null ? List.of() : list;
    }

    private Map<String, Object> object(String key) {
        assertThat(objects).containsKey(key);
        return objects.get(key);
    }

    private Map<String, Object> deployment() {
        return object("Deployment/provisioning-proxy");
    }

    private Map<String, Object> podSpec() {
        return map(deployment(), "spec", "template", "spec");
    }

    private Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec(), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** The container port a probe or Service names, by name or number. */
    private int containerPort(Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        return list(container(), "ports").stream().filter(p -> port.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    @SuppressWarnings("unchecked")
    private static Object builtIn(String dotted) {
        Object current = new Yaml().load(read("src/main/resources/application.yaml"));
        for (String key : dotted.split("\\.")) {
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void probesAskTheActuatorsProbePathsOnTheServersPort() {
        int serverPort = (Integer) builtIn("server.port");
        Map<String, Object> container = container();
        Map<String, String> paths = Map.of("startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        paths.forEach((probe, path) -> {
            Map<String, Object> get = map(container, probe, "httpGet");
            assertThat(get.get("path")).as(probe).isEqualTo(path);
            assertThat(containerPort(get.get("port"))).as(probe).isEqualTo(serverPort);
        });
        assertThat(containerPort("http")).isEqualTo(serverPort);
        assertThat(builtIn("management.endpoint.health.probes.enabled")).isEqualTo(true);
    }

    @Test
    void theServicesReachTheContainersPorts() {
        int serverPort = (Integer) builtIn("server.port");
        Map<String, Object> labels = map(deployment(), "spec", "template", "metadata", "labels");

        Map<String, Object> service = map(object("Service/provisioning-proxy"), "spec");
        assertThat(labels).containsAllEntriesOf(map(service, "selector"));
        assertThat(list(service, "ports")).singleElement().satisfies(port -> {
            assertThat(port.get("port")).isEqualTo(serverPort);
            assertThat(containerPort(port.get("targetPort"))).isEqualTo(serverPort);
        });

        Map<String, Object> cluster = map(object("Service/provisioning-proxy-cluster"), "spec");
        assertThat(cluster.get("clusterIP")).isEqualTo("None");
        assertThat(cluster.get("publishNotReadyAddresses")).isEqualTo(true);
        assertThat(labels).containsAllEntriesOf(map(cluster, "selector"));
        assertThat(list(cluster, "ports")).singleElement().satisfies(port -> {
            assertThat(port.get("port")).isEqualTo(7800);
            assertThat(containerPort(port.get("targetPort"))).isEqualTo(7800);
        });
        // the replicas find each other through that Service's name
        assertThat(literalEnv()).containsEntry("PROVISIONING_SHAREDCACHE_DNSQUERY",
                "provisioning-proxy-cluster.$(POD_NAMESPACE).svc.cluster.local");
    }

    @Test
    void aReadOnlyRootRunAsNonRootWithTmpWritable() {
        assertThat(map(deployment(), "spec").get("replicas")).isEqualTo(3);
        Map<String, Object> security = map(container(), "securityContext");
        assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
        assertThat(map(podSpec(), "securityContext").get("runAsNonRoot")).isEqualTo(true);
        // the image's user, as a number (pom.xml, profile image)
        assertThat(read("pom.xml")).contains("<user>" + map(podSpec(), "securityContext").get("runAsUser") + ":");

        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        list(podSpec(), "volumes").forEach(volume -> volumes.put((String) volume.get("name"), volume));
        Map<String, String> mounts = new LinkedHashMap<>();
        list(container(), "volumeMounts").forEach(mount -> mounts.put((String) mount.get("mountPath"), (String) mount.get("name")));
        assertThat(volumes).containsKeys(mounts.values().toArray(String[]::new));
        assertThat(volumes.get(mounts.get("/tmp"))).containsKey("emptyDir");
        // every ConfigMap mounted is one of the manifests
        volumes.values().stream().filter(volume -> volume.containsKey("configMap")).forEach(volume ->
                assertThat(objects).containsKey("ConfigMap/" + map(volume, "configMap").get("name")));

        // Spring Boot reads ./config/application.yaml from the working directory: the image's (pom.xml)
        assertThat(read("pom.xml")).contains("<workingDirectory>/app</workingDirectory>");
        assertThat(map(volumes.get(mounts.get("/app/config")), "configMap").get("name")).isEqualTo("provisioning-proxy-config");
        assertThat(map(object("ConfigMap/provisioning-proxy-config"), "data")).containsKey("application.yaml");

        Map<String, Object> resources = map(container(), "resources");
        assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
        assertThat(map(resources, "limits")).containsKeys("cpu", "memory");
    }

    /** The HTTP port open to all; the shared cache's port to the proxy's own pods only. */
    @Test
    void onlyTheProxysPodsReachTheClusterPort() {
        Map<String, Object> policy = map(object("NetworkPolicy/provisioning-proxy"), "spec");
        Map<String, Object> podLabels = map(deployment(), "spec", "template", "metadata", "labels");
        assertThat(map(policy, "podSelector", "matchLabels")).isEqualTo(podLabels);
        Map<Integer, List<Map<String, Object>>> fromByPort = new java.util.HashMap<>();
        for (Map<String, Object> rule : list(policy, "ingress")) {
            for (Map<String, Object> port : list(rule, "ports")) {
                fromByPort.put(containerPort(port.get("port")), list(rule, "from"));
            }
        }
        assertThat(fromByPort.get((Integer) builtIn("server.port"))).as("HTTP from anywhere").isEmpty();
        assertThat(fromByPort.get(new ProvisioningProperties.SharedCache().getPort())).as("cluster from the proxy's pods").singleElement()
                .satisfies(from -> assertThat(map(from, "podSelector", "matchLabels")).isEqualTo(podLabels));
    }

    @Test
    void theBudgetAndTheAutoscalerSelectTheDeployment() {
        Map<String, Object> labels = map(deployment(), "spec", "template", "metadata", "labels");
        assertThat(labels).containsAllEntriesOf(map(deployment(), "spec", "selector", "matchLabels"));
        Map<String, Object> budget = map(object("PodDisruptionBudget/provisioning-proxy"), "spec");
        assertThat(map(budget, "selector", "matchLabels")).isNotEmpty();
        assertThat(labels).containsAllEntriesOf(map(budget, "selector", "matchLabels"));

        Map<String, Object> autoscaler = map(object("HorizontalPodAutoscaler/provisioning-proxy"), "spec");
        assertThat(map(autoscaler, "scaleTargetRef")).containsEntry("kind", "Deployment")
                .containsEntry("name", "provisioning-proxy");
        assertThat(autoscaler.get("minReplicas")).isEqualTo(3);
        assertThat(list(autoscaler, "metrics")).singleElement()
                .satisfies(metric -> assertThat(map(metric, "resource").get("name")).isEqualTo("cpu"));
    }

    /** The Deployment's env entries with a literal value. */
    private Map<String, String> literalEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        list(container(), "env").stream().filter(e -> e.get("value") != null)
                .forEach(e -> env.put((String) e.get("name"), String.valueOf(e.get("value"))));
        return env;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> secretVariables() {
        Map<String, Object> secret = object("Secret/provisioning-proxy-secrets");
        assertThat(list(container(), "envFrom")).anySatisfy(from ->
                assertThat(map(from, "secretRef").get("name")).isEqualTo("provisioning-proxy-secrets"));
        return (Map<String, Object>) secret.get("stringData");
    }

    @Test
    void theConfigMapAndTheSecretBindToTheSettingsAndPassTheirValidation() throws IOException {
        Map<String, Object> variables = new LinkedHashMap<>(secretVariables());
        // the image's own environment (pom.xml) and the Deployment's values, $(VAR) expanded as the kubelet does
        // (the namespace from the downward API: any name will do)
        variables.put("PROVISIONING_DEMO_ENABLED", "false");
        variables.put("POD_NAMESPACE", "provisioning");
        literalEnv().forEach((name, value) -> variables.put(name,
                value.replace("$(POD_NAMESPACE)", (String) variables.get("POD_NAMESPACE"))));

        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        String mounted = (String) map(object("ConfigMap/provisioning-proxy-config"), "data").get("application.yaml");
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (PropertySource<?> source : yaml.load("config/application.yaml",
                new ByteArrayResource(mounted.getBytes(StandardCharsets.UTF_8)))) {
            environment.getPropertySources().addLast(source);
        }
        for (PropertySource<?> source : yaml.load("application.yaml", new ClassPathResource("application.yaml"))) {
            environment.getPropertySources().addLast(source);
        }

        Set<String> variablesUsed = new HashSet<>();
        ProvisioningProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bind("provisioning", Bindable.ofInstance(new ProvisioningProperties()), new AbstractBindHandler() {
                    @Override
                    public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                            Object result) {
                        ConfigurationProperty property = context.getConfigurationProperty();
                        // the origin names the variable a value was read from
                        if (property != null && property.getOrigin() instanceof PropertySourceOrigin origin
                                && origin.getPropertySource() instanceof SystemEnvironmentPropertySource) {
                            variablesUsed.add(origin.getPropertyName());
                        }
                        return super.onSuccess(name, target, context, result);
                    }
                }).get();

        assertThat(ConfigurationProblems.of(properties)).isEmpty();
        assertThat(properties.getDemo().isEnabled()).isFalse();
        assertThat(properties.getTenants()).containsOnlyKeys("example");
        ProvisioningProperties.Tenant example = properties.getTenants().get("example");
        assertThat(example.getXsiUrl()).isEqualTo("https://xsp.example.com/com.broadsoft.xsi-actions");
        assertThat(example.getDirectory().getPassword()).isEqualTo(
                secretVariables().get("PROVISIONING_TENANTS_EXAMPLE_DIRECTORY_PASSWORD"));
        assertThat(properties.getToken().getKeys()).singleElement().satisfies(key ->
                assertThat(key.getSecret()).isEqualTo(secretVariables().get("PROVISIONING_TOKEN_KEYS_0_SECRET")));
        // every variable of the Secret is a setting (a misspelt one would be ignored silently)
        assertThat(variablesUsed).containsAll(secretVariables().keySet());
        // and every value in it says it is a placeholder
        secretVariables().forEach((name, value) -> {
            if (!name.endsWith("_USER")) {
                assertThat(name.endsWith("_SECRET") ? new String(Base64.getDecoder().decode((String) value),
                        StandardCharsets.UTF_8) : (String) value).as(name).containsIgnoringCase("replace-me");
            }
        });
    }

    @Test
    void theExampleStylesheetOverrideCompilesAgainstTheSharedOne() throws Exception {
        Map<String, Object> data = map(object("ConfigMap/provisioning-proxy-xslt-example"), "data");
        for (Map.Entry<String, Object> file : data.entrySet()) {
            // where the Deployment mounts it, so its imports resolve as in the pod
            String where = Path.of("xslt/tenants/example").resolve(file.getKey()).toAbsolutePath().toUri().toString();
            new Processor(false).newXsltCompiler().compile(new StreamSource(new StringReader((String) file.getValue()), where));
        }
        assertThat(list(container(), "volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.get("mountPath")).isEqualTo("/app/xslt/tenants/example");
            assertThat(mount.get("name")).isEqualTo("xslt-example");
        });
    }
}
