package io.peerwarden.ship;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the Argo CD health checks in deploy/argocd with a Lua engine on status samples, as Argo CD would. */
class ArgoCdHealthTest {

    static final Path ARGOCD = Path.of("deploy/argocd");
    static final Path PEER_LUA = ARGOCD.resolve("vpnpeer-health.lua");
    static final Path INSTANCE_LUA = ARGOCD.resolve("vpninstance-health.lua");

    static Stream<Arguments> peerSamples() {
        return Stream.of(
                Arguments.of("ready", """
                        metadata: {name: alice, generation: 2}
                        status:
                          observedGeneration: 2
                          conditions:
                            - {type: Valid, status: "True", reason: Valid, observedGeneration: 2}
                            - {type: Ready, status: "True", reason: Ready, observedGeneration: 2,
                               message: "The peer's config is rendered and the server interface has the peer."}
                        """, "Healthy", "server interface has the peer"),
                Arguments.of("waiting for the agent", """
                        metadata: {name: alice, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Applied, status: Unknown, reason: WaitingForAgent, message: "No node agent has applied the peer yet."}
                            - {type: Ready, status: Unknown, reason: WaitingForAgent, observedGeneration: 1,
                               message: "Applied: No node agent has applied the peer yet."}
                        """, "Progressing", "No node agent has applied the peer yet."),
                Arguments.of("allowed IP collision", """
                        metadata: {name: bob, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Valid, status: "False", reason: AllowedIPTaken, message: "Allowed IP already taken by another peer: 10.24.0.2/32 is held by VpnPeer default/alice"}
                            - {type: Ready, status: "False", reason: AllowedIPTaken, observedGeneration: 1,
                               message: "Valid: Allowed IP already taken by another peer: 10.24.0.2/32 is held by VpnPeer default/alice"}
                        """, "Degraded", "Allowed IP already taken by another peer: 10.24.0.2/32 is held by VpnPeer default/alice"),
                Arguments.of("wg set failure", """
                        metadata: {name: carol, generation: 3}
                        status:
                          observedGeneration: 3
                          conditions:
                            - {type: Ready, status: "False", reason: WgSetFailed, observedGeneration: 3,
                               message: "Applied: wg set wg0 failed: Unable to modify interface: No such device"}
                        """, "Degraded", "Unable to modify interface: No such device"),
                Arguments.of("invalid DNS", """
                        metadata: {name: dave, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Ready, status: "False", reason: InvalidDNS, observedGeneration: 1, message: "Valid: DNS format is incorrect"}
                        """, "Degraded", "DNS format is incorrect"),
                Arguments.of("config too large for a QR code", """
                        metadata: {name: gina, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Ready, status: "False", reason: ConfigTooLarge, observedGeneration: 1, message: "ConfigRendered: The config (3153 bytes) does not fit in a QR code"}
                        """, "Degraded", "does not fit in a QR code"),
                Arguments.of("key mismatch", """
                        metadata: {name: erin, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Ready, status: "False", reason: KeyMismatch, observedGeneration: 1, message: "Valid: Private key does not match with the public key"}
                        """, "Degraded", "Private key does not match with the public key"),
                Arguments.of("restricted", """
                        metadata: {name: frank, generation: 4}
                        status:
                          observedGeneration: 4
                          conditions:
                            - {type: Ready, status: "False", reason: Restricted, observedGeneration: 4,
                               message: "Applied: The peer is restricted and removed from the server interface."}
                        """, "Suspended", "restricted"),
                Arguments.of("stale generation after an edit", """
                        metadata: {name: alice, generation: 5}
                        status:
                          observedGeneration: 4
                          conditions:
                            - {type: Ready, status: "True", reason: Ready, observedGeneration: 4, message: ok}
                        """, "Progressing", "generation 5"),
                Arguments.of("Ready condition older than the spec", """
                        metadata: {name: alice, generation: 5}
                        status:
                          observedGeneration: 5
                          conditions:
                            - {type: Ready, status: "True", reason: Ready, observedGeneration: 4, message: ok}
                        """, "Progressing", "generation 5"),
                Arguments.of("no status", """
                        metadata: {name: new, generation: 1}
                        """, "Progressing", "Waiting for the operator"),
                Arguments.of("status without conditions", """
                        metadata: {name: new, generation: 1}
                        status: {observedGeneration: 1}
                        """, "Progressing", "Waiting for the Ready condition"),
                Arguments.of("instance not ready yet", """
                        metadata: {name: alice, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Ready, status: "False", reason: InstanceNotReady, observedGeneration: 1, message: "VpnInstance office is not ready yet."}
                        """, "Progressing", "office is not ready yet"));
    }

    static Stream<Arguments> instanceSamples() {
        return Stream.of(
                Arguments.of("ready", """
                        metadata: {name: office, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: KeyReady, status: "True", reason: KeyGenerated}
                            - {type: Applied, status: "True", reason: Applied}
                            - {type: Ready, status: "True", reason: Ready, message: "Interface wg-office is up on node-1."}
                        """, "Healthy", "Interface wg-office is up on node-1."),
                Arguments.of("waiting for the agent", """
                        metadata: {name: office, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: KeyReady, status: "True", reason: KeyGenerated}
                            - {type: Applied, status: Unknown, reason: WaitingForAgent, message: "Waiting for the node agent on node-1."}
                            - {type: Ready, status: Unknown, reason: WaitingForAgent, message: "Waiting for the node agent on node-1."}
                        """, "Progressing", "Waiting for the node agent on node-1."),
                Arguments.of("bad key", """
                        metadata: {name: office, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: KeyReady, status: "False", reason: InvalidKey, message: "Secret office-key key privateKey is not a 32-byte base64 key."}
                            - {type: Ready, status: "False", reason: InvalidKey, message: "KeyReady: not ready"}
                        """, "Degraded", "is not a 32-byte base64 key."),
                Arguments.of("interface failure", """
                        metadata: {name: office, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: KeyReady, status: "True", reason: KeyGenerated}
                            - {type: Applied, status: "False", reason: InterfaceFailed, message: "ip link add wg-office type wireguard: Operation not supported, and wireguard-go is not installed"}
                            - {type: Ready, status: "False", reason: InterfaceFailed, message: "Applied: failed"}
                        """, "Degraded", "wireguard-go is not installed"),
                Arguments.of("endpoint unknown", """
                        metadata: {name: office, generation: 2}
                        status:
                          observedGeneration: 2
                          conditions:
                            - {type: Ready, status: "False", reason: EndpointUnknown, message: "spec.endpoint is not set and node n1 has no ExternalIP or InternalIP address"}
                        """, "Degraded", "spec.endpoint is not set"),
                Arguments.of("node not found", """
                        metadata: {name: office, generation: 2}
                        status:
                          observedGeneration: 2
                          conditions:
                            - {type: Ready, status: "False", reason: NodeNotFound, message: "No node matches spec.nodeSelector {role: gateway}."}
                        """, "Degraded", "No node matches"),
                Arguments.of("pool overlap", """
                        metadata: {name: office, generation: 1}
                        status:
                          observedGeneration: 1
                          conditions:
                            - {type: Ready, status: "False", reason: PoolOverlap, message: "10.24.0.0/24 overlaps VpnInstance default/lab."}
                        """, "Degraded", "overlaps VpnInstance default/lab"),
                Arguments.of("stale generation", """
                        metadata: {name: office, generation: 3}
                        status:
                          observedGeneration: 2
                          conditions:
                            - {type: Ready, status: "True", reason: Ready}
                        """, "Progressing", "generation 3"),
                Arguments.of("no status", """
                        metadata: {name: office, generation: 1}
                        """, "Progressing", "Waiting for the operator"));
    }

    @ParameterizedTest(name = "VpnPeer {0} -> {2}")
    @MethodSource("peerSamples")
    void peerHealth(String sample, String yaml, String status, String message) throws IOException {
        Map<String, String> health = run(PEER_LUA, yaml);

        assertThat(health).containsEntry("status", status);
        assertThat(health.get("message")).contains(message);
    }

    @ParameterizedTest(name = "VpnInstance {0} -> {2}")
    @MethodSource("instanceSamples")
    void instanceHealth(String sample, String yaml, String status, String message) throws IOException {
        Map<String, String> health = run(INSTANCE_LUA, yaml);

        assertThat(health).containsEntry("status", status);
        assertThat(health.get("message")).contains(message);
    }

    @Test
    void degradedMessageIsTheConditionMessageVerbatim() throws IOException {
        Map<String, String> health = run(PEER_LUA, """
                metadata: {generation: 1}
                status:
                  observedGeneration: 1
                  conditions:
                    - {type: Ready, status: "False", reason: FieldNotApplicable, message: "Valid: spec.routeAll applies only to client peers."}
                """);

        assertThat(health).containsExactlyInAnyOrderEntriesOf(
                Map.of("status", "Degraded", "message", "Valid: spec.routeAll applies only to client peers."));
    }

    @Test
    void argocdConfigMapCarriesExactlyTheTestedLua() throws IOException {
        ConfigMap cm = Serialization.unmarshal(Files.readString(ARGOCD.resolve("argocd-cm.yaml")), ConfigMap.class);

        assertThat(cm.getMetadata().getName()).isEqualTo("argocd-cm");
        assertThat(cm.getData()).containsOnlyKeys(
                "resource.customizations.health.vpn.peerwarden.io_VpnPeer",
                "resource.customizations.health.vpn.peerwarden.io_VpnInstance");
        assertThat(cm.getData().get("resource.customizations.health.vpn.peerwarden.io_VpnPeer")).isEqualTo(Files.readString(PEER_LUA));
        assertThat(cm.getData().get("resource.customizations.health.vpn.peerwarden.io_VpnInstance")).isEqualTo(Files.readString(INSTANCE_LUA));
    }

    @Test
    void exampleApplicationInstallsTheChartFromThisRepository() throws IOException {
        List<HasMetadata> apps = ChartRenderer.parse(Files.readString(ARGOCD.resolve("application.yaml")));

        assertThat(apps).hasSize(2).allSatisfy(a -> assertThat(a.getKind()).isEqualTo("Application"));
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) ((GenericKubernetesResource) apps.get(0))
                .getAdditionalProperties().get("spec")).get("source");
        assertThat(Path.of((String) source.get("path")).resolve("Chart.yaml")).exists();
    }

    /** Runs a health script the way Argo CD does: the resource as global {@code obj}, the script returns {status, message}. */
    static Map<String, String> run(Path script, String resourceYaml) throws IOException {
        Object resource = new ObjectMapper(new YAMLFactory()).readValue(resourceYaml, Object.class);
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue result = globals.load(Files.readString(script), script.getFileName().toString()).call();
        assertThat(result.istable()).as("health script returns a table").isTrue();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").tojstring());
    }

    private static LuaValue toLua(Object value) {
        if (value == null) {
            return LuaValue.NIL;
        }
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, toLua(list.get(i)));
            }
            return table;
        }
        if (value instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (value instanceof Integer || value instanceof Long) {
            return LuaValue.valueOf(((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return LuaValue.valueOf(String.valueOf(value));
    }
}
