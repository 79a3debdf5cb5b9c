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
                Reasons.KEY_FROM_SECRET, Reasons.READY, Reasons.APPLIED, Reasons.HANDSHAKE_RECENT, Reasons.NOT_VALID);

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
