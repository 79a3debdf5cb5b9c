package io.peerwarden.agent;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole agent (informers, driver, status) against the CRUD mock and a wireguard-go interface in a namespace. */
class AgentIT {

    private static final String NODE = "node-a";

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs ns;
    private FakeOperator operator;
    private ProcessCommandRunner runner;
    private Agent agent;
    private String iface;

    @BeforeEach
    void setUp() {
        ns = dataplane.netns("pwagent");
        operator = dataplane.add(new FakeOperator());
        runner = ns.runner();
        iface = DataplaneFixture.interfaceName("pwa");
    }

    private void startAgent() {
        agent = dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS));
    }

    private static Optional<Condition> condition(VpnPeer peer, String type) {
        return peer == null || peer.getStatus() == null ? Optional.empty() : Conditions.find(peer.getStatus().getConditions(), type);
    }

    private static boolean is(VpnPeer peer, String type, String status, String reason) {
        return condition(peer, type).map(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason()))).orElse(false);
    }

    private String describe(String peer) {
        VpnPeer p = operator.get(peer);
        StringBuilder text = new StringBuilder(peer + ":");
        if (p != null && p.getStatus() != null) {
            p.getStatus().getConditions().forEach(c -> text.append(" ").append(c.getType()).append("=").append(c.getStatus())
                    .append("/").append(c.getReason()).append(" (").append(c.getMessage()).append(")"));
        }
        return text.toString();
    }

    private WgDump dump() {
        return WgDump.parse(ns.exec("wg", "show", iface, "dump"));
    }

    @Test
    void aPeerWhosePublishedKeyIsNoKeyStaysOffTheInterfaceAndOneNotPublishedYetWaitsForTheOperator() {
        operator.instance("vpn", NODE, iface, List.of("10.80.0.1/24"), 51832, TestKeys.generate());
        TestKeys alice = TestKeys.generate();
        TestKeys tampered = TestKeys.generate();
        TestKeys later = TestKeys.generate();
        operator.peer("alice", "vpn", alice.publicKey(), List.of("10.80.0.2/32"), TestKeys.presharedKey(), FakeOperator.client());
        VpnPeer tamperedPeer = operator.peer("tampered", "vpn", tampered.publicKey(), List.of("10.80.0.3/32"), null, FakeOperator.client());
        operator.publish(NODE, NodeKeys.peerEntry(tamperedPeer.getMetadata().getUid()), "top-secret-token-from-elsewhere");
        VpnPeer laterPeer = operator.peer("later", "vpn", later.publicKey(), List.of("10.80.0.4/32"), null, FakeOperator.client());
        operator.unpublish(NODE, NodeKeys.peerEntry(laterPeer.getMetadata().getUid()));
        String unpublishedIface = DataplaneFixture.interfaceName("pwu");
        operator.instance("nokey", NODE, unpublishedIface, List.of("10.88.0.1/24"), 51833, TestKeys.generate());
        operator.unpublish(NODE, NodeKeys.instanceEntry(operator.getInstance("nokey").getMetadata().getUid()));

        startAgent();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(is(operator.get("alice"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("alice")).isTrue();
            assertThat(is(operator.get("tampered"), ConditionTypes.APPLIED, Conditions.FALSE, Reasons.INVALID_KEY))
                    .as(describe("tampered")).isTrue();
            assertThat(Conditions.find(operator.getInstance("nokey").getStatus().getConditions(), ConditionTypes.APPLIED))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(Reasons.KEY_NOT_PUBLISHED));
        });
        assertThat(condition(operator.get("tampered"), ConditionTypes.APPLIED).orElseThrow().getMessage()).doesNotContain("top-secret");
        assertThat(is(operator.get("later"), ConditionTypes.APPLIED, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT))
                .as("not published yet: left to wait, " + describe("later")).isTrue();
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey());
        assertThat(ns.execResult("ip", "link", "show", "dev", unpublishedIface).ok()).as("no interface without its key").isFalse();

        operator.publish(NODE, NodeKeys.peerEntry(laterPeer.getMetadata().getUid()), "");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(is(operator.get("later"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("later")).isTrue());
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey(), later.publicKey());
    }

    @Test
    void appliesValidPeersReportsStatusAndLeavesTheOperatorsPartAlone() {
        operator.instance("vpn", NODE, iface, List.of("10.80.0.1/24"), 51830, TestKeys.generate());
        TestKeys alice = TestKeys.generate();
        TestKeys site = TestKeys.generate();
        TestKeys loser = TestKeys.generate();
        TestKeys broken = TestKeys.generate();
        String psk = TestKeys.presharedKey();
        VpnPeer aliceBefore = operator.peer("alice", "vpn", alice.publicKey(), List.of("10.80.0.2/32"), psk, FakeOperator.client());
        operator.peer("site", "vpn", site.publicKey(), List.of("10.80.0.3/32"), null,
                FakeOperator.site(List.of("10.81.0.0/24"), "10.99.0.2:51820", 25));
        operator.peer("loser", "vpn", loser.publicKey(), List.of("10.80.0.2/32"), null, FakeOperator.client());
        operator.operatorCondition("loser", ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN,
                "Allowed IP already taken by another peer: alice");
        VpnPeerSpec brokenSpec = FakeOperator.site(List.of(), "nonexistent.invalid:51820", null);
        operator.peer("broken", "vpn", broken.publicKey(), List.of("10.80.0.6/32"), null, brokenSpec);

        startAgent();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(is(operator.get("alice"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("alice")).isTrue();
            assertThat(is(operator.get("alice"), ConditionTypes.READY, Conditions.TRUE, null)).as(describe("alice")).isTrue();
            assertThat(is(operator.get("site"), ConditionTypes.READY, Conditions.TRUE, null)).as(describe("site")).isTrue();
            assertThat(is(operator.get("loser"), ConditionTypes.APPLIED, Conditions.FALSE, Reasons.NOT_VALID)).as(describe("loser")).isTrue();
            assertThat(is(operator.get("broken"), ConditionTypes.APPLIED, Conditions.FALSE, Reasons.WG_SET_FAILED)).as(describe("broken")).isTrue();
        });
        assertThat(agent.ready()).isTrue();

        // the interface: exactly the two applicable peers, with the PSK from the config Secret and the site's subnets
        WgDump dump = dump();
        assertThat(dump.peers()).containsOnlyKeys(alice.publicKey(), site.publicKey());
        assertThat(dump.peers().get(alice.publicKey()).presharedKey()).isEqualTo(psk);
        assertThat(dump.peers().get(site.publicKey()).allowedIps()).containsExactlyInAnyOrder("10.80.0.3/32", "10.81.0.0/24");
        assertThat(dump.peers().get(site.publicKey()).persistentKeepalive()).isEqualTo(25);
        assertThat(dump.listenPort()).isEqualTo(51830);
        assertThat(ns.exec("ip", "-4", "route", "show", "dev", iface)).contains("10.81.0.0/24");

        // wg's own error text on the broken peer only
        assertThat(condition(operator.get("broken"), ConditionTypes.APPLIED).orElseThrow().getMessage()).contains("nonexistent.invalid:51820");
        assertThat(is(operator.get("broken"), ConditionTypes.READY, Conditions.FALSE, Reasons.WG_SET_FAILED)).as(describe("broken")).isTrue();

        // the operator's conditions and fields are untouched
        VpnPeer aliceAfter = operator.get("alice");
        for (String type : List.of(ConditionTypes.VALID, ConditionTypes.ADDRESS_ASSIGNED, ConditionTypes.CONFIG_RENDERED)) {
            assertThat(condition(aliceAfter, type)).isEqualTo(condition(aliceBefore, type));
        }
        assertThat(aliceAfter.getStatus().getAllowedIPs()).containsExactly("10.80.0.2/32");
        assertThat(aliceAfter.getStatus().getPublicKey()).isEqualTo(alice.publicKey());
        assertThat(aliceAfter.getStatus().getConnected()).isFalse();
        assertThat(is(aliceAfter, ConditionTypes.CONNECTED, Conditions.FALSE, Reasons.NO_RECENT_HANDSHAKE)).isTrue();
        assertThat(is(operator.get("loser"), ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN)).as(describe("loser")).isTrue();

        // the instance: agent fields set, operator's kept
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            VpnInstance instance = operator.getInstance("vpn");
            assertThat(instance.getStatus().getImplementation()).isEqualTo("userspace");
            assertThat(instance.getStatus().getListenPort()).isEqualTo(51830);
            assertThat(instance.getStatus().getInterfaceName()).isEqualTo(iface);
            assertThat(Conditions.isTrue(instance.getStatus().getConditions(), ConditionTypes.APPLIED)).isTrue();
            assertThat(Conditions.isTrue(instance.getStatus().getConditions(), ConditionTypes.KEY_READY)).isTrue();
            assertThat(instance.getStatus().getPublicKey()).isNotNull();
        });

        // quiet: with nothing changing, the agent neither runs wg set nor writes
        String aliceVersion = operator.get("alice").getMetadata().getResourceVersion();
        runner.clearInvocations();
        agent.passNow();
        agent.passNow();
        assertThat(runner.invocations()).noneMatch(argv -> argv.get(0).equals("wg") && argv.get(1).equals("set")
                && !argv.contains("nonexistent.invalid:51820"));
        assertThat(operator.get("alice").getMetadata().getResourceVersion()).isEqualTo(aliceVersion);

        // the instance is deleted: its interface goes
        operator.client.resources(VpnInstance.class).inNamespace(FakeOperator.NS).withName("vpn").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> !ns.execResult("ip", "link", "show", "dev", iface).ok());
    }

    /**
     * A site peer whose endpoint is a host name: wg shows the resolved address, not the name, so the verdict must use
     * the driver's record of the host-name endpoints it set. {@code localhost} resolves from /etc/hosts: no DNS, and
     * nothing leaves the namespace (no handshake traffic is needed for Applied/Ready).
     */
    /**
     * One instance whose pass throws (here: its wg show run, injected) must not stop the node's other instances:
     * the other converges, and the failing one says so in Applied=False/InterfaceFailed with a Warning Event.
     */
    @Test
    void anInstanceWhosePassThrowsDoesNotStopTheOtherInstancesOfTheNode() {
        String badIface = DataplaneFixture.interfaceName("pwb");
        operator.instance("bad", NODE, badIface, List.of("10.86.0.1/24"), 51834, TestKeys.generate());
        operator.instance("vpn", NODE, iface, List.of("10.87.0.1/24"), 51835, TestKeys.generate());
        TestKeys alice = TestKeys.generate();
        operator.peer("alice", "vpn", alice.publicKey(), List.of("10.87.0.2/32"), TestKeys.generate().privateKey(), FakeOperator.client());
        operator.peer("bob", "bad", TestKeys.generate().publicKey(), List.of("10.86.0.2/32"), null, FakeOperator.client());
        CommandRunner failing = new CommandRunner() {
            @Override
            public Result run(List<String> argv) {
                if (argv.equals(io.peerwarden.core.wg.WgCommands.wgShowDump(badIface))) {
                    throw new IllegalStateException("injected failure reading " + badIface);
                }
                return runner.run(argv);
            }

            @Override
            public Process start(List<String> argv, java.util.Map<String, String> extraEnv, java.nio.file.Path log) throws java.io.IOException {
                return runner.start(argv, extraEnv, log);
            }
        };

        agent = dataplane.startAgent(operator.client, failing, NODE, Set.of(FakeOperator.NS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(is(operator.get("alice"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("alice")).isTrue();
            VpnInstance bad = operator.getInstance("bad");
            assertThat(bad.getStatus() == null ? Optional.<Condition>empty() : Conditions.find(bad.getStatus().getConditions(), ConditionTypes.APPLIED))
                    .hasValueSatisfying(c -> {
                        assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
                        assertThat(c.getReason()).isEqualTo(Reasons.INTERFACE_FAILED);
                        assertThat(c.getMessage()).contains("injected failure reading " + badIface);
                    });
            assertThat(operator.client.events().v1().events().inNamespace(FakeOperator.NS).list().getItems())
                    .anyMatch(e -> Reasons.INTERFACE_FAILED.equals(e.getReason()) && "bad".equals(e.getRegarding().getName())
                            && e.getNote().contains("injected failure"));
        });
        assertThat(dump().peers()).containsOnlyKeys(alice.publicKey());
        // and the failing instance keeps failing alone, pass after pass
        agent.passNow();
        agent.passNow();
        assertThat(is(operator.get("alice"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("alice")).isTrue();
    }

    @Test
    void sitePeerWithHostNameEndpointIsAppliedAndReady() {
        operator.instance("vpn", NODE, iface, List.of("10.84.0.1/24"), 51833, TestKeys.generate());
        TestKeys site = TestKeys.generate();
        operator.peer("named", "vpn", site.publicKey(), List.of("10.84.0.2/32"), null,
                FakeOperator.site(List.of("10.85.0.0/24"), "localhost:51899", 25));

        startAgent();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(is(operator.get("named"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("named")).isTrue();
            assertThat(is(operator.get("named"), ConditionTypes.READY, Conditions.TRUE, null)).as(describe("named")).isTrue();
        });
        assertThat(dump().peers().get(site.publicKey()).endpoint()).isEqualTo("127.0.0.1:51899");

        // and it stays so: later passes neither re-set the endpoint nor flip the verdict
        String version = operator.get("named").getMetadata().getResourceVersion();
        runner.clearInvocations();
        agent.passNow();
        agent.passNow();
        assertThat(runner.invocations()).noneMatch(argv -> argv.get(0).equals("wg") && argv.get(1).equals("set"));
        assertThat(is(operator.get("named"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as(describe("named")).isTrue();
        assertThat(operator.get("named").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    /** Also proves spec.restricted survives the JSON round trip through the API. */
    @Test
    void restrictedPeerIsRemovedFromTheInterfaceAndReportedRestricted() {
        operator.instance("vpn", NODE, iface, List.of("10.83.0.1/24"), 51832, TestKeys.generate());
        TestKeys kept = TestKeys.generate();
        TestKeys restricted = TestKeys.generate();
        operator.peer("kept", "vpn", kept.publicKey(), List.of("10.83.0.2/32"), null, FakeOperator.client());
        operator.peer("restricted", "vpn", restricted.publicKey(), List.of("10.83.0.3/32"), null, FakeOperator.client());
        startAgent();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> dump().peers().size() == 2);

        // a merge patch without a resourceVersion (kubectl patch --type=merge): the agent may be writing
        // the status at the same moment, and a patch of a stale copy would be refused with 409
        operator.client.resources(VpnPeer.class).inNamespace(FakeOperator.NS).withName("restricted")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"restricted\":true}}");
        assertThat(operator.get("restricted").getSpec().restrictedOrDefault())
                .as("spec.restricted survives a round trip through the API (model serialization)").isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(is(operator.get("restricted"), ConditionTypes.APPLIED, Conditions.FALSE, Reasons.RESTRICTED)).as(describe("restricted")).isTrue();
            assertThat(dump().peers()).containsOnlyKeys(kept.publicKey());
        });
        assertThat(is(operator.get("kept"), ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).isTrue();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        operator.instance("vpn", NODE, iface, List.of("10.82.0.1/24"), 51831, TestKeys.generate());
        int peers = 15;
        for (int i = 0; i < peers; i++) {
            operator.peer("p" + i, "vpn", TestKeys.generate().publicKey(), List.of("10.82.0." + (i + 2) + "/32"), null, FakeOperator.client());
        }
        int rounds = 12;
        // the operator rewrites its own condition on every peer while the agent applies them and writes its part
        CompletableFuture<Void> operatorWrites = CompletableFuture.runAsync(() -> {
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < peers; i++) {
                    operator.operatorCondition("p" + i, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED,
                            "The config Secret is rendered (round " + round + ").");
                }
            }
        });
        startAgent();
        operatorWrites.get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < peers; i++) {
                VpnPeer p = operator.get("p" + i);
                assertThat(is(p, ConditionTypes.APPLIED, Conditions.TRUE, Reasons.APPLIED)).as("p%d applied", i).isTrue();
                assertThat(is(p, ConditionTypes.CONNECTED, Conditions.FALSE, null)).as("p%d connected", i).isTrue();
                assertThat(condition(p, ConditionTypes.CONFIG_RENDERED).orElseThrow().getMessage()).as("p%d operator's last write", i)
                        .isEqualTo("The config Secret is rendered (round " + rounds + ").");
                assertThat(is(p, ConditionTypes.READY, Conditions.TRUE, null)).as("p%d ready", i).isTrue();
                assertThat(p.getStatus().getConnected()).isFalse();
                assertThat(p.getStatus().getAllowedIPs()).containsExactly("10.82.0." + (i + 2) + "/32");
            }
        });
        // one condition of each type, no duplicates from either writer
        VpnPeer p0 = operator.get("p0");
        List<String> types = new ArrayList<>();
        p0.getStatus().getConditions().forEach(c -> types.add(c.getType()));
        assertThat(types).doesNotHaveDuplicates();
        assertThat(dump().peers()).hasSize(peers);
    }
}
