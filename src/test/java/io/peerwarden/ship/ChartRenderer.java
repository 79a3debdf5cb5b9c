package io.peerwarden.ship;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Renders the Helm chart with helm-java (Helm's own Go library) the way {@code helm template} would,
 * and parses the output with fabric8. Shared by the chart tests, the deploy/ generator and the RBAC
 * sufficiency tests.
 */
public final class ChartRenderer {

    public static final Path CHART = Path.of("helm/peerwarden");
    public static final String RELEASE = "peerwarden";
    public static final String NAMESPACE = "peerwarden";

    private ChartRenderer() {
    }

    /** Renders with default values. */
    public static String render() {
        return render(null);
    }

    /**
     * Renders with an extra values file given as YAML text (null or blank: defaults only).
     * Throws {@link IllegalStateException} with Helm's message when rendering fails (schema, fail, syntax).
     */
    public static String render(String valuesYaml) {
        Path valuesFile = null;
        try {
            var template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
            if (valuesYaml != null && !valuesYaml.isBlank()) {
                valuesFile = Files.createTempFile("peerwarden-values", ".yaml");
                Files.writeString(valuesFile, valuesYaml);
                template = template.withValuesFile(valuesFile);
            }
            return template.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("helm template failed: " + e.getMessage(), e);
        } finally {
            if (valuesFile != null) {
                try {
                    Files.deleteIfExists(valuesFile);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }

    public static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** The YAML documents of a rendering, without empty ones. */
    public static List<String> documents(String rendered) {
        List<String> docs = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            boolean hasContent = Arrays.stream(doc.split("\n"))
                    .anyMatch(line -> !line.isBlank() && !line.trim().startsWith("#"));
            if (hasContent) {
                docs.add(doc.strip() + "\n");
            }
        }
        return docs;
    }

    /** Every rendered object, parsed by fabric8 into its typed model (unknown kinds: GenericKubernetesResource). */
    public static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : documents(rendered)) {
            Object parsed = Serialization.unmarshal(doc);
            if (!(parsed instanceof HasMetadata object)) {
                throw new IllegalStateException("not a Kubernetes object: " + doc);
            }
            objects.add(object);
        }
        return objects;
    }

    public static List<HasMetadata> manifests(String valuesYaml) {
        return parse(render(valuesYaml));
    }

    public static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return find(objects, type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " " + name + " in " + objects.stream()
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    public static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> type, String name) {
        return ofType(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }
}
