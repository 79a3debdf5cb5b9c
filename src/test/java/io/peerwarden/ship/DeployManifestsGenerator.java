package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the plain manifests in {@code deploy/} from the Helm chart rendered with default values,
 * numbered so that {@code kubectl apply -f deploy/} creates what others depend on first (Strimzi's
 * convention): 000 Namespace, 010 ServiceAccounts, 02x ClusterRoles then Roles, 03x ClusterRoleBindings
 * then RoleBindings, 04x CRDs, 050 Services, 060 Deployment, 070 DaemonSet.
 *
 * <pre>mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dexec.mainClass=io.peerwarden.ship.DeployManifestsGenerator</pre>
 *
 * {@link DeployManifestsDriftTest} fails when deploy/ differs from a fresh generation.
 */
public final class DeployManifestsGenerator {

    public static final Path DEPLOY = Path.of("deploy");
    public static final String REGENERATE =
            "mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dexec.mainClass=" + DeployManifestsGenerator.class.getName();
    /** Generated files: a three-digit prefix. Everything else in deploy/ (examples/, argocd/) is hand-written. */
    public static final Pattern GENERATED_FILE = Pattern.compile("^\\d{3}-.*\\.yaml$");

    private static final String HEADER = "# Generated from helm/peerwarden (default values) by DeployManifestsGenerator: do not edit.\n"
            + "# Regenerate: " + REGENERATE + "\n";

    /** Kind → number range (tens); kinds sharing a range are numbered in this order. */
    private static final List<Map.Entry<String, Integer>> ORDER = List.of(
            Map.entry("Namespace", 0),
            Map.entry("ServiceAccount", 10),
            Map.entry("ClusterRole", 20),
            Map.entry("Role", 20),
            Map.entry("ClusterRoleBinding", 30),
            Map.entry("RoleBinding", 30),
            Map.entry("CustomResourceDefinition", 40),
            Map.entry("ConfigMap", 45),
            Map.entry("Service", 50),
            Map.entry("Deployment", 60),
            Map.entry("DaemonSet", 70),
            // last: with failurePolicy Ignore nothing waits for it, and the Service behind it exists by then
            Map.entry("ValidatingWebhookConfiguration", 80));

    private DeployManifestsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> files = generate();
        Files.createDirectories(DEPLOY);
        try (Stream<Path> existing = Files.list(DEPLOY)) {
            for (Path stale : existing.filter(p -> GENERATED_FILE.matcher(p.getFileName().toString()).matches())
                    .filter(p -> !files.containsKey(p.getFileName().toString())).toList()) {
                Files.delete(stale);
                System.out.println("deleted " + stale);
            }
        }
        for (var file : files.entrySet()) {
            Files.writeString(DEPLOY.resolve(file.getKey()), file.getValue());
            System.out.println("wrote " + DEPLOY.resolve(file.getKey()));
        }
    }

    /** File name → content of every generated manifest. */
    public static Map<String, String> generate() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        manifests.add(new Manifest("Namespace", ChartRenderer.NAMESPACE, namespace()));
        for (String doc : ChartRenderer.documents(ChartRenderer.render())) {
            HasMetadata object = Serialization.unmarshal(doc);
            manifests.add(new Manifest(object.getKind(), object.getMetadata().getName(), plain(doc)));
        }
        try (Stream<Path> crds = Files.list(ChartRenderer.CHART.resolve("crds"))) {
            for (Path crd : crds.sorted().toList()) {
                String text = Files.readString(crd);
                HasMetadata object = Serialization.unmarshal(text);
                manifests.add(new Manifest(object.getKind(), object.getMetadata().getName(), text));
            }
        }
        Map<Integer, List<Manifest>> byRange = new TreeMap<>();
        for (Manifest m : manifests) {
            int range = range(m.kind());
            byRange.computeIfAbsent(range, k -> new ArrayList<>()).add(m);
        }
        Map<String, String> files = new TreeMap<>();
        for (var range : byRange.entrySet()) {
            List<Manifest> inRange = range.getValue().stream()
                    .sorted(Comparator.comparing((Manifest m) -> kindIndex(m.kind())).thenComparing(Manifest::name)).toList();
            if (inRange.size() > 10) {
                throw new IllegalStateException("more than 10 manifests numbered from " + range.getKey() + ": they would collide with the next range");
            }
            for (int i = 0; i < inRange.size(); i++) {
                Manifest m = inRange.get(i);
                String file = String.format("%03d-%s-%s.yaml", range.getKey() + i, m.kind(), m.name());
                files.put(file, HEADER + m.text());
            }
        }
        return new LinkedHashMap<>(files);
    }

    private static int range(String kind) {
        return ORDER.get(kindIndex(kind)).getValue();
    }

    private static int kindIndex(String kind) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (ORDER.get(i).getKey().equals(kind)) {
                return i;
            }
        }
        throw new IllegalStateException("no deploy/ number for kind " + kind + ": add it to DeployManifestsGenerator.ORDER");
    }

    /**
     * The Namespace the manifests install into. The agent needs hostNetwork, NET_ADMIN and root,
     * which only the privileged Pod Security Standard admits.
     */
    private static String namespace() {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels:
                    app.kubernetes.io/part-of: peerwarden
                    # the node agent runs with hostNetwork and NET_ADMIN: only the privileged level admits it
                    pod-security.kubernetes.io/enforce: privileged
                    pod-security.kubernetes.io/warn: privileged
                """.formatted(ChartRenderer.NAMESPACE);
    }

    /** A rendered document without what only makes sense for a Helm release. */
    private static String plain(String doc) {
        StringBuilder out = new StringBuilder();
        for (String line : doc.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("# Source:") || trimmed.startsWith("helm.sh/chart:")
                    || trimmed.equals("app.kubernetes.io/managed-by: Helm")) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString().strip() + "\n";
    }

    private record Manifest(String kind, String name, String text) {
    }
}
