package io.peerwarden.agent;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent of the chart's namespaced mode ({@code watchNamespaces: [a, b]}): it applies the instances of a and b,
 * never sees one in c (neither applies nor reports on it), and tears down only interfaces of the namespaces it
 * watches. Against the CRUD mock, with wireguard-go interfaces in a throwaway network namespace.
 */
class AgentNamespacesIT {

    private static final String NODE = "node-a";
    private final RefusingDispatcher dispatcher = new RefusingDispatcher();

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs netns;
    private FakeOperator cluster;
    private Agent agent;
    private String prefix;

    @BeforeEach
    void setUp() {
        netns = dataplane.netns("pwagentns");
        cluster = dataplane.add(new FakeOperator(dispatcher));
        prefix = DataplaneFixture.interfaceName("pwn");
    }

    /** The CRUD mock, answering 403 to everything in one namespace while told to (RBAC not there yet). */
    static final class RefusingDispatcher extends KubernetesCrudDispatcher {
        volatile String refusedNamespace;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String refused = refusedNamespace;
            if (refused != null && request.getPath().contains("/namespaces/" + refused + "/")) {
                return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"forbidden in " + refused + "\"}");
            }
            return super.dispatch(request);
        }
    }

    private Agent startAgent(Set<String> namespaces) {
        agent = dataplane.startAgent(cluster.client, netns, NODE, namespaces);
        return agent;
    }

    /**
     * A WireGuard interface an earlier agent left with its alias (wireguard-go, whose process outlived that agent):
     * only a link of the agent's own kind, prefix and alias is one it may tear down.
     */
    private void staleLink(String name, String owner) {
        try {
            Process wgGo = netns.runner().start(List.of("wireguard-go", name), java.util.Map.of("WG_PROCESS_FOREGROUND", "1"),
                    dataplane.privateDirectory().resolve(name + ".log"));
            dataplane.add(wgGo::destroy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> linkExists(name));
        netns.exec("ip", "link", "set", name, "alias", InterfaceDriver.ALIAS_PREFIX + owner);
    }

    private boolean linkExists(String name) {
        return netns.execResult("ip", "link", "show", "dev", name).ok();
    }

    private WgDump dump(String iface) {
        return WgDump.parse(netns.exec("wg", "show", iface, "dump"));
    }

    private static boolean applied(VpnPeer peer) {
        return peer != null && peer.getStatus() != null
                && Conditions.find(peer.getStatus().getConditions(), ConditionTypes.APPLIED)
                .map(c -> Conditions.TRUE.equals(c.getStatus()) && Reasons.APPLIED.equals(c.getReason())).orElse(false);
    }

    @Test
    void appliesTheInstancesOfTheWatchedNamespacesOnlyAndTearsDownOnlyTheirInterfaces() {
        FakeOperator a = cluster.inNamespace("a");
        FakeOperator b = cluster.inNamespace("b");
        FakeOperator c = cluster.inNamespace("c");
        String ifaceA = prefix + "a";
        String ifaceB = prefix + "b";
        String ifaceC = prefix + "c";
        TestKeys peerA = TestKeys.generate();
        TestKeys peerB = TestKeys.generate();
        TestKeys peerC = TestKeys.generate();
        a.instance("vpn", NODE, ifaceA, List.of("10.84.0.1/24"), 51840, TestKeys.generate());
        a.peer("alice", "vpn", peerA.publicKey(), List.of("10.84.0.2/32"), null, FakeOperator.client());
        b.instance("vpn", NODE, ifaceB, List.of("10.85.0.1/24"), 51841, TestKeys.generate());
        b.peer("bob", "vpn", peerB.publicKey(), List.of("10.85.0.2/32"), null, FakeOperator.client());
        c.instance("vpn", NODE, ifaceC, List.of("10.86.0.1/24"), 51842, TestKeys.generate());
        c.peer("carol", "vpn", peerC.publicKey(), List.of("10.86.0.2/32"), null, FakeOperator.client());

        // links left over from earlier runs, found by their alias: one of a watched namespace whose instance is gone,
        // one of an unwatched namespace (another agent's, or just not ours to judge)
        String staleA = prefix + "sa";
        String foreignC = prefix + "fc";
        staleLink(staleA, "a/deleted");
        staleLink(foreignC, "c/other");

        startAgent(Set.of("a", "b"));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(applied(a.get("alice"))).as("a/alice applied").isTrue();
            assertThat(applied(b.get("bob"))).as("b/bob applied").isTrue();
            assertThat(dump(ifaceA).peers()).containsOnlyKeys(peerA.publicKey());
            assertThat(dump(ifaceB).peers()).containsOnlyKeys(peerB.publicKey());
            assertThat(linkExists(staleA)).as("stale interface of watched namespace a torn down").isFalse();
        });
        assertThat(agent.ready()).isTrue();
        for (FakeOperator watched : List.of(a, b)) {
            VpnInstance instance = watched.getInstance("vpn");
            assertThat(Conditions.isTrue(instance.getStatus().getConditions(), ConditionTypes.APPLIED)).as(watched.ns).isTrue();
        }

        // more passes with synced caches: c's instance is never applied nor reported on, its interface never touched
        agent.passNow();
        agent.passNow();
        assertThat(linkExists(ifaceC)).as("instance in unwatched namespace c applied").isFalse();
        assertThat(linkExists(foreignC)).as("interface of unwatched namespace c left alone").isTrue();
        assertThat(netns.exec("ip", "-j", "link", "show", "dev", foreignC)).contains(InterfaceDriver.ALIAS_PREFIX + "c/other");
        assertThat(Conditions.find(c.getInstance("vpn").getStatus().getConditions(), ConditionTypes.APPLIED)).isEmpty();
        assertThat(Conditions.find(c.get("carol").getStatus().getConditions(), ConditionTypes.APPLIED))
                .hasValueSatisfying(cond -> assertThat(cond.getReason()).as("still the operator's placeholder")
                        .isEqualTo(Reasons.WAITING_FOR_AGENT));

        // a deletion in the second watched namespace is seen: its interface goes, the other watched one stays
        cluster.client.resources(VpnInstance.class).inNamespace("b").withName("vpn").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> !linkExists(ifaceB));
        agent.passNow();
        assertThat(linkExists(ifaceA)).isTrue();
        assertThat(linkExists(foreignC)).isTrue();
    }

    /** One informer per watched namespace: a peer of b naming an instance of a is found across them and applied. */
    @Test
    void appliesAPeerOfAnotherWatchedNamespaceToTheInstanceItNames() {
        FakeOperator a = cluster.inNamespace("a");
        FakeOperator b = cluster.inNamespace("b");
        String ifaceA = prefix + "x";
        TestKeys local = TestKeys.generate();
        TestKeys guest = TestKeys.generate();
        a.instance("vpn", NODE, ifaceA, List.of("10.88.0.1/24"), 51844, TestKeys.generate());
        a.peer("alice", "vpn", local.publicKey(), List.of("10.88.0.2/32"), null, FakeOperator.client());
        VpnPeerSpec guestSpec = FakeOperator.client();
        guestSpec.setInstanceRef(new InstanceRef("vpn", "a"));
        b.peer("guest", "vpn", guest.publicKey(), List.of("10.88.0.3/32"), null, guestSpec);

        startAgent(Set.of("a", "b"));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(dump(ifaceA).peers()).containsOnlyKeys(local.publicKey(), guest.publicKey());
            assertThat(applied(a.get("alice"))).as("a/alice applied").isTrue();
            assertThat(applied(b.get("guest"))).as("b/guest applied, its status written in b").isTrue();
        });
        assertThat(dump(ifaceA).peers().get(guest.publicKey()).allowedIps()).containsExactly("10.88.0.3/32");
    }

    /** Adopt first, prune later: while one watched namespace's informers cannot sync, nothing is torn down. */
    @Test
    void tearsNothingDownUntilTheInformersOfEveryWatchedNamespaceHaveSynced() {
        FakeOperator a = cluster.inNamespace("a");
        String ifaceA = prefix + "a";
        TestKeys peerA = TestKeys.generate();
        a.instance("vpn", NODE, ifaceA, List.of("10.87.0.1/24"), 51843, TestKeys.generate());
        a.peer("alice", "vpn", peerA.publicKey(), List.of("10.87.0.2/32"), null, FakeOperator.client());
        String staleA = prefix + "sa";
        String staleB = prefix + "sb";
        staleLink(staleA, "a/deleted");
        staleLink(staleB, "b/deleted");
        dispatcher.refusedNamespace = "b";

        startAgent(Set.of("a", "b"));

        // a is synced and applied; b is not: the agent is not ready and deletes nothing, not even in a
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(applied(a.get("alice"))).isTrue();
            assertThat(dump(ifaceA).peers()).containsOnlyKeys(peerA.publicKey());
        });
        agent.passNow();
        agent.passNow();
        assertThat(agent.ready()).isFalse();
        assertThat(linkExists(staleA)).as("torn down with namespace b unsynced").isTrue();
        assertThat(linkExists(staleB)).as("torn down with namespace b unsynced").isTrue();

        // b becomes readable: every informer syncs, the stale interfaces of both namespaces go
        dispatcher.refusedNamespace = null;
        await().atMost(Duration.ofSeconds(60)).until(agent::ready);
        await().atMost(Duration.ofSeconds(20)).until(() -> !linkExists(staleA) && !linkExists(staleB));
        assertThat(linkExists(ifaceA)).isTrue();
    }
}
