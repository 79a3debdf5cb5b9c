package io.peerwarden.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.agent.Agent;
import io.peerwarden.agent.DataplaneFixture;
import io.peerwarden.agent.NetNs;
import io.peerwarden.agent.ProcessCommandRunner;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real operator (CRUD mock) and the real agent on a wireguard-go interface in a network namespace, with
 * 50 peers: an agent restarted makes no {@code wg} peer change and touches no link; a peer added to the
 * interface by hand is removed; an interface deleted under the agent is restored with every peer.
 * Judged by the interface and the statuses only, not by which Secrets the agent reads.
 */
class AgentRestartAndDriftIT {

    static final int PEERS = 50;

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private OperatorHarness harness;
    private NetNs ns;
    private String iface;

    @BeforeEach
    void setUp() {
        harness = dataplane.add(new OperatorHarness().startOperator());
        ns = dataplane.netns("pwrel");
        iface = DataplaneFixture.interfaceName("pwr");
    }

    private Agent startAgent(ProcessCommandRunner runner) {
        KubernetesClient client = dataplane.add(harness.cluster.client("peerwarden-agent-test"));
        return dataplane.startAgent(client, runner, "worker-1", Set.of(OperatorHarness.NS));
    }

    private WgDump dump() {
        return WgDump.parse(ns.exec("wg", "show", iface, "dump"));
    }

    /**
     * The interface as a user would compare it: public key → allowed IPs and a digest of the preshared key
     * (never the key itself, which an assertion message would print).
     */
    private Map<String, String> peersOnInterface() {
        return dump().peers().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new java.util.TreeSet<>(e.getValue().allowedIps()) + " psk#" + digest(e.getValue().presharedKey()),
                (a, b) -> a, TreeMap::new));
    }

    private static String digest(String key) {
        if (key == null) {
            return "none";
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the statuses declare: every peer's public key → its addresses. */
    private Map<String, List<String>> declared() {
        return Group.peers(harness.admin, OperatorHarness.NS).stream().collect(Collectors.toMap(p -> p.getStatus().getPublicKey(),
                p -> p.getStatus().getAllowedIPs(), (a, b) -> a, TreeMap::new));
    }

    private void awaitAllApplied() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<VpnPeer> peers = Group.peers(harness.admin, OperatorHarness.NS);
            return peers.size() == PEERS && peers.stream().allMatch(OperatorHarness.condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY));
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> dump().peers().keySet().equals(declared().keySet()));
    }

    private static long wgPeerChanges(ProcessCommandRunner runner) {
        return runner.invocations().stream().filter(argv -> argv.size() > 2 && argv.get(0).equals("wg") && argv.get(1).equals("set")
                && argv.contains("peer")).count();
    }

    private static long linkChanges(ProcessCommandRunner runner) {
        return runner.invocations().stream().filter(argv -> argv.size() > 2 && argv.get(0).equals("ip") && argv.get(1).equals("link")
                && List.of("add", "del", "delete").contains(argv.get(2))).count();
    }

    @Test
    void aRestartedAgentChangesNothingAHandAddedPeerIsRemovedAndADeletedInterfaceIsRestored() {
        VpnInstance office = OperatorHarness.instance(Group.INSTANCE, "10.40.0.1/16");
        office.getSpec().setInterfaceName(iface);
        office.getSpec().setListenPort(51870);
        harness.create(office);
        Group.createPeers(harness.admin, OperatorHarness.NS, PEERS);
        ProcessCommandRunner firstRunner = ns.runner();
        Agent first = startAgent(firstRunner);
        awaitAllApplied();
        Map<String, String> before = peersOnInterface();
        assertThat(before).hasSize(PEERS);
        assertThat(wgPeerChanges(firstRunner)).as("the first agent applied the peers").isPositive();

        // restart: the old agent stops (interfaces stay), a new one with nothing in memory takes over
        first.close();
        ProcessCommandRunner secondRunner = ns.runner();
        Agent second = startAgent(secondRunner);
        await().atMost(Duration.ofSeconds(30)).until(second::ready);
        second.passNow();
        second.passNow();
        assertThat(wgPeerChanges(secondRunner)).as("wg set ... peer runs of the restarted agent").isZero();
        assertThat(linkChanges(secondRunner)).as("ip link add/del runs of the restarted agent").isZero();
        assertThat(peersOnInterface()).isEqualTo(before);
        long restartChanges = wgPeerChanges(secondRunner);

        // drift: a peer added by hand is removed, the declared ones stay
        String stranger = WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey());
        ns.exec("wg", "set", iface, "peer", stranger, "allowed-ips", "10.40.255.1/32");
        assertThat(dump().peers()).containsKey(stranger);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !dump().peers().containsKey(stranger));
        assertThat(peersOnInterface()).isEqualTo(before);

        // drift: the interface deleted under the agent is restored with every peer, keys and addresses as before
        ns.exec("ip", "link", "del", iface);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> ns.execResult("wg", "show", iface, "dump").ok() && peersOnInterface().equals(before));
        WgPeer any = dump().peers().values().iterator().next();
        assertThat(any.presharedKey()).isNotNull();
        awaitAllApplied();

        FaultRun.record("agent (mock API, wireguard-go in a network namespace): " + PEERS + " peers; restarted agent made "
                + restartChanges + " wg peer changes and 0 link changes; a hand-added peer was removed; a deleted interface was"
                + " restored with all " + PEERS + " peers");
    }
}
