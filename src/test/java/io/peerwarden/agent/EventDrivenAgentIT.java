package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.LinkOwnership;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.kube.StatusUpdates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event-driven agent against the CRUD mock and a wireguard-go interface in a namespace: once the interface is
 * converged, one peer's change is one {@code wg set} naming only that peer (no {@code wg show dump}, no other command),
 * and changes made behind the agent's back are repaired by its periodic passes.
 */
class EventDrivenAgentIT {

    private static final String NODE = "node-e";

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs ns;
    private FakeOperator operator;
    private ProcessCommandRunner runner;
    private Agent agent;
    private String iface;

    @BeforeEach
    void setUp() {
        ns = dataplane.netns("pwev");
        operator = dataplane.add(new FakeOperator());
        runner = ns.runner();
        iface = DataplaneFixture.interfaceName("pwe");
    }

    private void startAgent(Duration resync, Duration driftRepair) {
        agent = dataplane.startAgent(operator.client, runner, new AgentConfig(NODE, Set.of(FakeOperator.NS), resync,
                Duration.ofSeconds(1), DataplaneFixture.DEBOUNCE, DataplaneFixture.WORKERS, null, LinkOwnership.DEFAULT_PREFIX,
                driftRepair));
    }

    private static Optional<Condition> applied(VpnPeer peer) {
        return peer == null || peer.getStatus() == null ? Optional.empty()
                : Conditions.find(peer.getStatus().getConditions(), ConditionTypes.APPLIED);
    }

    private boolean appliedTrue(String peer) {
        return applied(operator.get(peer)).map(c -> Conditions.TRUE.equals(c.getStatus()) && Reasons.APPLIED.equals(c.getReason()))
                .orElse(false);
    }

    private WgDump dump() {
        return WgDump.parse(ns.exec("wg", "show", iface, "dump"));
    }

    /** The operator records a new allowed IP for the peer (as after a spec edit that keeps its generation's verdict). */
    private void operatorSetsAllowedIps(String peer, List<String> allowedIps) {
        StatusUpdates.update(operator.client, operator.get(peer), VpnPeer.class, s -> {
            s.setAllowedIPs(allowedIps);
            return s;
        }).orElseThrow();
    }

    /** The commands the agent ran since the last clear, awaited to include one naming {@code what}. */
    private List<List<String>> commandsUntil(String what) {
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.invocations().stream().anyMatch(argv -> argv.contains(what)));
        return runner.invocations();
    }

    @Test
    void onePeersChangeIsOneWgSetNamingOnlyThatPeerAndADeletedPeerIsOneRemove() {
        operator.instance("vpn", NODE, iface, List.of("10.81.0.1/24"), 51840, TestKeys.generate());
        TestKeys alice = TestKeys.generate();
        TestKeys bob = TestKeys.generate();
        TestKeys carol = TestKeys.generate();
        operator.peer("alice", "vpn", alice.publicKey(), List.of("10.81.0.2/32"), TestKeys.presharedKey(), FakeOperator.client());
        operator.peer("bob", "vpn", bob.publicKey(), List.of("10.81.0.3/32"), TestKeys.presharedKey(), FakeOperator.client());
        operator.peer("carol", "vpn", carol.publicKey(), List.of("10.81.0.4/32"), null, FakeOperator.client());
        // no periodic pass and no drift repair during the test: whatever runs, an event made it run
        startAgent(Duration.ofHours(1), Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> appliedTrue("alice") && appliedTrue("bob") && appliedTrue("carol"));
        agent.passNow();
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey(), bob.publicKey(), carol.publicKey());

        // bob gets another address: one wg set, naming bob only, with just the field that changed
        runner.clearInvocations();
        operatorSetsAllowedIps("bob", List.of("10.81.0.13/32"));
        await().atMost(Duration.ofSeconds(20)).until(() -> dump().peers().get(bob.publicKey()).allowedIps().contains("10.81.0.13/32"));
        assertThat(commandsUntil(bob.publicKey()))
                .containsExactly(List.of("wg", "set", iface, "peer", bob.publicKey(), "allowed-ips", "10.81.0.13/32"));
        WgDump live = dump();
        assertThat(live.peers().get(bob.publicKey()).allowedIps()).containsExactly("10.81.0.13/32");
        assertThat(live.peers().get(alice.publicKey()).allowedIps()).containsExactly("10.81.0.2/32");
        assertThat(live.peers().get(bob.publicKey()).presharedKey()).as("bob's preshared key is kept").isNotNull();
        assertThat(appliedTrue("bob")).isTrue();

        // carol is deleted: one wg set removing her
        runner.clearInvocations();
        operator.client.resources(VpnPeer.class).inNamespace(FakeOperator.NS).withName("carol").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> !dump().peers().containsKey(carol.publicKey()));
        assertThat(commandsUntil(carol.publicKey())).containsExactly(List.of("wg", "set", iface, "peer", carol.publicKey(), "remove"));
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey(), bob.publicKey());

        // dave is added: one wg set naming dave only, his preshared key in a file, and he is reported Applied
        runner.clearInvocations();
        TestKeys dave = TestKeys.generate();
        String davePsk = TestKeys.presharedKey();
        operator.peer("dave", "vpn", dave.publicKey(), List.of("10.81.0.5/32"), davePsk, FakeOperator.client());
        await().atMost(Duration.ofSeconds(20)).until(() -> appliedTrue("dave"));
        List<List<String>> commands = commandsUntil(dave.publicKey());
        assertThat(commands).hasSize(1);
        List<String> argv = commands.get(0);
        assertThat(argv.subList(0, 5)).containsExactly("wg", "set", iface, "peer", dave.publicKey());
        assertThat(argv).contains("preshared-key").doesNotContain(davePsk, alice.publicKey(), bob.publicKey());
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("allowed-ips", "10.81.0.5/32");
        assertThat(dump().peers().get(dave.publicKey()).presharedKey()).isEqualTo(davePsk);
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey(), bob.publicKey(), dave.publicKey());
    }

    @Test
    void changesMadeBehindTheAgentsBackAreRepairedByItsPeriodicPasses() {
        operator.instance("vpn", NODE, iface, List.of("10.81.0.1/24"), 51841, TestKeys.generate());
        TestKeys alice = TestKeys.generate();
        TestKeys bob = TestKeys.generate();
        operator.peer("alice", "vpn", alice.publicKey(), List.of("10.81.0.2/32"), TestKeys.presharedKey(), FakeOperator.client());
        operator.peer("bob", "vpn", bob.publicKey(), List.of("10.81.0.3/32"), null, FakeOperator.client());
        startAgent(Duration.ofSeconds(1), Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> appliedTrue("alice") && appliedTrue("bob"));

        // a peer removed by hand: put back (the status pass finds it missing and runs the full pass)
        ns.exec("wg", "set", iface, "peer", bob.publicKey(), "remove");
        await().atMost(Duration.ofSeconds(20)).until(() -> dump().peers().containsKey(bob.publicKey()));
        assertThat(dump().peers().get(bob.publicKey()).allowedIps()).containsExactly("10.81.0.3/32");

        // a peer's allowed IPs changed by hand (the interface still lists every peer): the drift repair puts them back
        ns.exec("wg", "set", iface, "peer", alice.publicKey(), "allowed-ips", "10.81.0.99/32");
        await().atMost(Duration.ofSeconds(20)).until(() -> dump().peers().get(alice.publicKey()).allowedIps().contains("10.81.0.2/32"));
        assertThat(dump().peers().get(alice.publicKey()).allowedIps()).containsExactly("10.81.0.2/32");
        assertThat(dump().peers().get(alice.publicKey()).presharedKey()).isNotNull();
        assertThat(appliedTrue("alice") && appliedTrue("bob")).isTrue();
    }
}
