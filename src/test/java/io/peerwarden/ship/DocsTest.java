package io.peerwarden.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The docs keep up with the API: every field, condition type and reason is documented. */
class DocsTest {

    static final Path REFERENCE = Path.of("docs/crd-reference.md");
    static final Path TROUBLESHOOTING = Path.of("docs/troubleshooting.md");

    /** Schema properties that are artifacts of the Java model rather than API fields (none today). */
    static final Set<String> NOT_API_FIELDS = Set.of();

    @Test
    void everyConditionReasonIsExplainedInTheReference() throws IOException {
        String reference = Files.readString(REFERENCE);

        assertThat(constants(Reasons.class)).isNotEmpty()
                .allSatisfy(reason -> assertThat(reference).as("reason %s", reason).contains("| `" + reason + "` |"));
    }

    @Test
    void everyConditionTypeIsExplainedInTheReference() throws IOException {
        String reference = Files.readString(REFERENCE);

        assertThat(constants(ConditionTypes.class)).allSatisfy(type -> assertThat(reference).contains("| `" + type + "` |"));
    }

    @Test
    void everyProblemReasonHasATroubleshootingEntry() throws IOException {
        String troubleshooting = Files.readString(TROUBLESHOOTING);
        List<String> progress = List.of(Reasons.VALID, Reasons.ALLOCATED, Reasons.FROM_SPEC, Reasons.RENDERED, Reasons.KEY_GENERATED,
                Reasons.KEY_FROM_SECRET, Reasons.READY, Reasons.APPLIED, Reasons.HANDSHAKE_RECENT, Reasons.NOT_VALID, Reasons.ACCEPTED);

        assertThat(constants(Reasons.class)).filteredOn(r -> !progress.contains(r))
                .allSatisfy(reason -> assertThat(troubleshooting).as("troubleshooting for %s", reason).containsPattern("(?m)^#{2,4} .*\\b" + reason + "\\b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crds/vpninstances.vpn.peerwarden.io-v1.yml", "crds/vpnpeers.vpn.peerwarden.io-v1.yml"})
    void everyFieldOfTheCrdIsInTheReference(String crd) throws IOException {
        JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(Path.of(crd).toFile())
                .at("/spec/versions/0/schema/openAPIV3Schema/properties");
        List<String> fields = new ArrayList<>();
        leaves("spec", schema.get("spec"), fields);
        for (Iterator<String> it = schema.get("status").get("properties").fieldNames(); it.hasNext(); ) {
            fields.add("status." + it.next());
        }
        String reference = Files.readString(REFERENCE);

        assertThat(fields).filteredOn(f -> !NOT_API_FIELDS.contains(f))
                .allSatisfy(field -> assertThat(reference).as("field %s", field).contains("`" + field));
    }

    @Test
    void notesTellHowToGetAPeersConfigAndQrCode() throws IOException {
        String notes = Files.readString(ChartRenderer.CHART.resolve("templates/NOTES.txt"));

        assertThat(notes).contains("-o jsonpath='{.data.wg0\\.conf}' | base64 -d")
                .contains("-o jsonpath='{.data.wg0\\.png}' | base64 -d > peer.png")
                .contains("kind: VpnInstance").contains("kind: VpnPeer");
    }

    /** The documents a newcomer follows, and the chart's NOTES that install prints. */
    static final List<Path> WALKTHROUGHS = List.of(Path.of("README.md"), Path.of("docs/install.md"),
            ChartRenderer.CHART.resolve("templates/NOTES.txt"));

    /**
     * Every documented sequence ends green: no {@code kubectl wait} waits for everything (the examples hold a
     * peer that collides on purpose), each names resources that exist, and none waits for a colliding
     * example to become Ready.
     */
    @Test
    void everyDocumentedWaitCanSucceed() throws IOException {
        Map<String, JsonNode> examples = examples();
        Set<String> colliding = collidingExamplePeers(examples);
        assertThat(colliding).as("the examples hold a deliberately colliding peer").containsExactly("vpnpeer/intruder");
        List<String> waits = new ArrayList<>();
        for (Path doc : WALKTHROUGHS) {
            String text = Files.readString(doc);
            Set<String> declared = new java.util.HashSet<>(examples.keySet());
            java.util.regex.Matcher inline = java.util.regex.Pattern.compile("(?m)^\\s*kind: (VpnInstance|VpnPeer)\\s*\\n\\s*metadata:\\s*\\n\\s*name: (\\S+)")
                    .matcher(text);
            while (inline.find()) {
                declared.add(inline.group(1).toLowerCase() + "/" + inline.group(2));
            }
            for (String line : text.lines().map(String::strip).filter(l -> l.startsWith("kubectl wait")).toList()) {
                waits.add(doc + ": " + line);
                assertThat(line).as(doc + ": " + line).doesNotContain("--all").contains("--timeout=");
                List<String> named = java.util.Arrays.stream(line.split("\\s+")).filter(w -> w.matches("vpn(instance|peer)/\\S+")).toList();
                assertThat(named).as(doc + ": " + line).isNotEmpty();
                assertThat(declared).as(doc + ": " + line).containsAll(named);
                if (line.contains("--for=condition=Ready")) {
                    assertThat(named).as(doc + ": " + line + " waits for a peer that never gets Ready").doesNotContainAnyElementsOf(colliding);
                }
            }
        }
        assertThat(waits).as("the collision is shown separately").anyMatch(w -> w.contains("--for=condition=Valid=false vpnpeer/intruder"));
        String install = Files.readString(Path.of("docs/install.md"));
        assertThat(install).contains("kubectl wait --for=condition=Ready vpninstance/office vpnpeer/alice vpnpeer/branch --timeout=2m");
    }

    /** deploy/examples by kind/name. */
    static Map<String, JsonNode> examples() throws IOException {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        try (var files = Files.list(Path.of("deploy/examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                out.put(node.get("kind").asText().toLowerCase() + "/" + node.at("/metadata/name").asText(), node);
            }
        }
        return out;
    }

    /** Example peers asking for an allowed IP that an earlier example peer already asks for (the later one loses). */
    static Set<String> collidingExamplePeers(Map<String, JsonNode> examples) {
        Set<String> taken = new java.util.HashSet<>();
        Set<String> losers = new java.util.TreeSet<>();
        examples.forEach((name, node) -> {
            for (JsonNode ip : node.at("/spec/allowedIPs")) {
                if (!taken.add(ip.asText())) {
                    losers.add(name);
                }
            }
        });
        return losers;
    }

    private static void leaves(String path, JsonNode node, List<String> out) {
        JsonNode properties = node.get("properties");
        if (properties == null || properties.isEmpty()) {
            out.add(path);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            var p = it.next();
            leaves(path + "." + p.getKey(), p.getValue(), out);
        }
    }

    static List<String> constants(Class<?> type) {
        List<String> out = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
