package io.peerwarden.agent;

import io.peerwarden.testing.Closer;
import io.peerwarden.core.diff.Cidrs;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.ToolText;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver against a real wireguard-go interface in a throwaway network namespace. */
class InterfaceDriverIT {

    private final Closer closer = new Closer();
    private NetNs ns;
    private KeyFiles keyFiles;
    private ProcessCommandRunner runner;
    private InterfaceDriver driver;
    private String iface;
    private final TestKeys server = TestKeys.generate();

    @BeforeEach
    void setUp() {
        Privileged.require();
        ns = closer.add(NetNs.create("pwdrv"));
        keyFiles = closer.add(new KeyFiles(KeyFiles.defaultBase()));
        runner = ns.runner();
        driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles);
        iface = DataplaneFixture.interfaceName("pwt");
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private DesiredInterface desired(List<WgPeerConfig> peers, Map<String, String> routes) {
        return new DesiredInterface(iface, "peerwarden:test/vpn", server.privateKey(), 51820,
                List.of("10.50.0.1/24", "fd00:50::1/64"), 1380, peers, routes, true, Set.of());
    }

    /** The wg set runs that touch peers, from the invocation log. */
    private List<List<String>> peerSets() {
        return runner.invocations().stream()
                .filter(argv -> argv.size() > 3 && argv.get(0).equals("wg") && argv.get(1).equals("set") && argv.contains("peer"))
                .toList();
    }

    private static List<String> peersNamed(List<String> argv) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals("peer")) {
                keys.add(argv.get(i + 1));
            }
        }
        return keys;
    }

    private record Seen(String psk, String endpoint, Set<String> allowedIps, int keepalive) {
    }

    private static Map<String, Seen> expectation(List<WgPeerConfig> peers) {
        Map<String, Seen> map = new HashMap<>();
        peers.forEach(p -> map.put(p.publicKey(), new Seen(p.presharedKey(), p.endpoint(), Cidrs.networks(p.allowedIps()), p.persistentKeepalive())));
        return map;
    }

    private Map<String, Seen> live() {
        WgDump dump = WgDump.parse(ns.exec("wg", "show", iface, "dump"));
        Map<String, Seen> map = new HashMap<>();
        for (WgPeer p : dump.peers().values()) {
            map.put(p.publicKey(), new Seen(p.presharedKey(), p.endpoint(), Cidrs.networks(p.allowedIps()), p.persistentKeepalive()));
        }
        return map;
    }

    @Test
    void appliesThreePeersThenOnlyTheDifferenceOfEachChange() throws IOException {
        TestKeys a = TestKeys.generate();
        TestKeys b = TestKeys.generate();
        TestKeys c = TestKeys.generate();
        String psk = TestKeys.presharedKey();
        WgPeerConfig peerA = new WgPeerConfig(a.publicKey(), psk, null, Set.of("10.50.0.2/32"), 0);
        WgPeerConfig siteB = new WgPeerConfig(b.publicKey(), null, "10.99.0.2:51820", Set.of("10.50.0.3/32", "10.60.0.0/24"), 25);
        WgPeerConfig peerC = new WgPeerConfig(c.publicKey(), null, null, Set.of("10.50.0.4/32", "fd00:50::4/128"), 0);

        // 1. three peers on a new interface: one wg set for all of them
        List<WgPeerConfig> step1 = List.of(peerA, siteB, peerC);
        ApplyResult first = driver.apply(desired(step1, Map.of("10.60.0.0/24", b.publicKey())));
        assertThat(first.interfaceError()).isNull();
        assertThat(first.implementation()).isEqualTo("userspace");
        assertThat(first.peerErrors()).isEmpty();
        assertThat(live()).isEqualTo(expectation(step1));
        assertThat(peerSets()).hasSize(1);
        assertThat(peersNamed(peerSets().get(0))).containsExactlyInAnyOrder(a.publicKey(), b.publicKey(), c.publicKey());
        assertThat(ns.exec("ip", "-4", "route", "show", "dev", iface)).contains("10.60.0.0/24");
        assertThat(ns.exec("ip", "address", "show", "dev", iface)).contains("10.50.0.1/24").contains("fd00:50::1/64").contains("mtu 1380");
        // keys never on a command line, key files gone
        assertThat(runner.invocations().toString()).doesNotContain(psk).doesNotContain(server.privateKey());
        try (Stream<Path> files = Files.list(keyFiles.directory())) {
            assertThat(files).isEmpty();
        }

        // 2. change one peer's allowed IPs: exactly one wg set naming only that peer, only its allowed IPs
        runner.clearInvocations();
        WgPeerConfig siteB2 = new WgPeerConfig(b.publicKey(), null, "10.99.0.2:51820", Set.of("10.50.0.3/32", "10.61.0.0/24"), 25);
        List<WgPeerConfig> step2 = List.of(peerA, siteB2, peerC);
        driver.apply(desired(step2, Map.of("10.61.0.0/24", b.publicKey())));
        assertThat(live()).isEqualTo(expectation(step2));
        assertThat(peerSets()).containsExactly(List.of("wg", "set", iface, "peer", b.publicKey(), "allowed-ips", "10.50.0.3/32,10.61.0.0/24"));
        String routes = ns.exec("ip", "-4", "route", "show", "dev", iface);
        assertThat(routes).contains("10.61.0.0/24").doesNotContain("10.60.0.0/24");

        // 3. restrict C: it leaves the desired set, exactly one removal
        runner.clearInvocations();
        List<WgPeerConfig> step3 = List.of(peerA, siteB2);
        driver.apply(desired(step3, Map.of("10.61.0.0/24", b.publicKey())));
        assertThat(live()).isEqualTo(expectation(step3));
        assertThat(peerSets()).containsExactly(List.of("wg", "set", iface, "peer", c.publicKey(), "remove"));

        // 4. delete the site B: removal and its route goes
        runner.clearInvocations();
        List<WgPeerConfig> step4 = List.of(peerA);
        driver.apply(desired(step4, Map.of()));
        assertThat(live()).isEqualTo(expectation(step4));
        assertThat(peerSets()).containsExactly(List.of("wg", "set", iface, "peer", b.publicKey(), "remove"));
        assertThat(ns.exec("ip", "-4", "route", "show", "dev", iface)).doesNotContain("10.61.0.0/24");

        // 5. nothing changed: no wg set at all
        runner.clearInvocations();
        driver.apply(desired(step4, Map.of()));
        assertThat(runner.invocations()).noneMatch(argv -> argv.get(0).equals("wg") && argv.get(1).equals("set"));
        assertThat(runner.invocations()).noneMatch(argv -> argv.get(0).equals("ip") && argv.contains("add"));
    }

    @Test
    void aNewDriverOverAnInterfaceThatIsAlreadyRightIssuesNoWgSet() {
        List<WgPeerConfig> peers = List.of(
                new WgPeerConfig(TestKeys.generate().publicKey(), TestKeys.presharedKey(), null, Set.of("10.50.0.2/32"), 0),
                new WgPeerConfig(TestKeys.generate().publicKey(), null, "10.99.0.2:51820", Set.of("10.50.0.3/32", "10.60.0.0/24"), 25));
        assertThat(driver.apply(desired(peers, Map.of("10.60.0.0/24", peers.get(1).publicKey()))).peerErrors()).isEmpty();

        // the agent restarts: a new runner and driver, same interface
        ProcessCommandRunner restartedRunner = ns.runner();
        InterfaceDriver restarted = new InterfaceDriver(restartedRunner, Implementation.AUTO, keyFiles);
        ApplyResult result = restarted.apply(desired(peers, Map.of("10.60.0.0/24", peers.get(1).publicKey())));

        assertThat(result.interfaceError()).isNull();
        assertThat(result.implementation()).isEqualTo("userspace");
        assertThat(restartedRunner.invocations()).noneMatch(argv -> argv.get(0).equals("wg") && argv.get(1).equals("set"));
        assertThat(restartedRunner.invocations()).noneMatch(argv -> argv.contains("wireguard-go") || argv.contains("add") || argv.contains("replace"));
        assertThat(live()).isEqualTo(expectation(peers));
    }

    @Test
    void anInterfaceDeletedBehindItsBackIsRecreatedWithAllPeers() {
        List<WgPeerConfig> peers = List.of(
                new WgPeerConfig(TestKeys.generate().publicKey(), null, null, Set.of("10.50.0.2/32"), 0),
                new WgPeerConfig(TestKeys.generate().publicKey(), null, null, Set.of("10.50.0.3/32", "10.60.0.0/24"), 0));
        Map<String, String> routes = Map.of("10.60.0.0/24", peers.get(1).publicKey());
        driver.apply(desired(peers, routes));

        ns.exec("ip", "link", "del", "dev", iface);
        assertThat(ns.execResult("ip", "link", "show", "dev", iface).ok()).isFalse();

        ApplyResult result = driver.apply(desired(peers, routes));
        assertThat(result.interfaceError()).isNull();
        assertThat(result.countersReset()).containsExactlyInAnyOrder(peers.get(0).publicKey(), peers.get(1).publicKey());
        assertThat(live()).isEqualTo(expectation(peers));
        assertThat(ns.exec("ip", "-4", "route", "show", "dev", iface)).contains("10.60.0.0/24");
        assertThat(ns.exec("ip", "address", "show", "dev", iface)).contains("10.50.0.1/24").contains("UP");
    }

    @Test
    void aPeerWhoseWgSetFailsGetsWgsOwnErrorAndTheOthersAreApplied() {
        TestKeys bad = TestKeys.generate();
        List<WgPeerConfig> peers = List.of(
                new WgPeerConfig(TestKeys.generate().publicKey(), null, null, Set.of("10.50.0.2/32"), 0),
                new WgPeerConfig(bad.publicKey(), null, "nonexistent.invalid:51820", Set.of("10.50.0.3/32"), 0),
                new WgPeerConfig(TestKeys.generate().publicKey(), null, null, Set.of("10.50.0.4/32"), 0));

        ApplyResult result = driver.apply(desired(peers, Map.of()));

        assertThat(result.interfaceError()).isNull();
        assertThat(result.peerErrors()).containsOnlyKeys(bad.publicKey());
        assertThat(result.peerErrors().get(bad.publicKey())).contains("nonexistent.invalid:51820");
        assertThat(live()).isEqualTo(expectation(List.of(peers.get(0), peers.get(2))));
    }

    @Test
    void interfaceAddressesConvergeByDifference() {
        driver.apply(desired(List.of(), Map.of()));
        runner.clearInvocations();
        DesiredInterface moved = new DesiredInterface(iface, "peerwarden:test/vpn", server.privateKey(), 51821,
                List.of("10.50.0.1/24", "10.51.0.1/24"), 1380, List.of(), Map.of(), true, Set.of());

        ApplyResult result = driver.apply(moved);

        assertThat(result.interfaceError()).isNull();
        assertThat(result.live().listenPort()).isEqualTo(51821);
        assertThat(runner.invocations()).contains(List.of("ip", "address", "del", "fd00:50::1/64", "dev", iface),
                List.of("ip", "address", "add", "10.51.0.1/24", "dev", iface), List.of("wg", "set", iface, "listen-port", "51821"));
        assertThat(runner.invocations()).noneMatch(argv -> argv.contains("10.50.0.1/24"));
    }

    @Test
    void teardownDeletesTheInterfaceAndStopsWireguardGo() {
        driver.apply(desired(List.of(), Map.of()));
        Process process = driver.userspaceProcess(iface);
        assertThat(process).isNotNull();
        assertThat(driver.managedInterfaces()).containsEntry(iface, "peerwarden:test/vpn");

        driver.teardown(iface);

        assertThat(ns.execResult("ip", "link", "show", "dev", iface).ok()).isFalse();
        assertThat(process.isAlive()).isFalse();
        assertThat(driver.managedInterfaces()).doesNotContainKey(iface);
    }

    @Test
    void theAgentRemovesOnlyRoutesItAdded() {
        ns.exec("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
        ns.exec("ip", "link", "set", "lan0", "up");
        ns.exec("ip", "link", "set", "lan1", "up");
        TestKeys site = TestKeys.generate();
        List<WgPeerConfig> peers = List.of(new WgPeerConfig(site.publicKey(), null, null,
                Set.of("10.50.0.2/32", "10.60.0.0/24", "10.64.0.0/24", "fd00:60::/64"), 0));
        Map<String, String> routes = Map.of("10.60.0.0/24", site.publicKey(), "10.64.0.0/24", site.publicKey(),
                "fd00:60::/64", site.publicKey());
        // routes someone else added: one on the agent's own interface (even for a prefix the site wants), one elsewhere
        driver.apply(desired(List.of(), Map.of()));
        ns.exec("ip", "route", "add", "10.62.0.0/24", "dev", iface);
        ns.exec("ip", "route", "add", "10.64.0.0/24", "dev", iface);
        ns.exec("ip", "route", "add", "10.63.0.0/24", "dev", "lan0");

        ApplyResult added = driver.apply(desired(peers, routes));

        assertThat(added.peerErrors()).isEmpty();
        assertThat(added.routeConflicts()).as("a route for the prefix on the agent's own interface routes it already").isEmpty();
        assertThat(ns.exec("ip", "route", "show", "dev", iface, "proto", WgCommands.ROUTE_PROTO)).contains("10.60.0.0/24")
                .doesNotContain("10.64.0.0/24");
        assertThat(ns.exec("ip", "-6", "route", "show", "dev", iface, "proto", WgCommands.ROUTE_PROTO)).contains("fd00:60::/64");
        assertThat(runner.invocations()).noneMatch(argv -> argv.contains("replace") || argv.contains("flush"));

        // the site goes: exactly the agent's two routes are deleted, by difference
        runner.clearInvocations();
        driver.apply(desired(List.of(), Map.of()));

        assertThat(runner.invocations()).filteredOn(argv -> argv.contains("route") && argv.contains("del"))
                .containsExactlyInAnyOrder(WgCommands.ipRouteDel(iface, "10.60.0.0/24"), WgCommands.ipRouteDel(iface, "fd00:60::/64"));
        String left = ns.exec("ip", "route", "show");
        assertThat(left).contains("10.62.0.0/24 dev " + iface, "10.64.0.0/24 dev " + iface, "10.63.0.0/24 dev lan0")
                .doesNotContain("10.60.0.0/24");
        assertThat(ns.exec("ip", "-6", "route", "show")).doesNotContain("fd00:60::/64");
    }

    /**
     * wg quotes a bad key file's content in its error ("Key is not the correct length or format: `...'"): what the
     * driver hands on (to status, Events) and what it logs holds the tool's words, never the token.
     */
    @Test
    void aTokenInABadKeyFileQuotedByWgIsRedactedFromTheResultAndTheLogs() {
        String token = java.util.Base64.getEncoder().encodeToString(TestKeys.presharedKey().getBytes()).substring(0, 43);
        String pskToken = TestKeys.presharedKey().substring(0, 43);
        TestKeys bad = TestKeys.generate();
        TestKeys good = TestKeys.generate();
        List<WgPeerConfig> peers = List.of(new WgPeerConfig(bad.publicKey(), pskToken, null, Set.of("10.50.0.2/32"), 0),
                new WgPeerConfig(good.publicKey(), null, null, Set.of("10.50.0.3/32"), 0));
        ApplyResult result;
        List<String> logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            result = driver.apply(new DesiredInterface(iface, "peerwarden:test/vpn", token, 51820, List.of("10.50.0.1/24"), null,
                    peers, Map.of(), true, Set.of()));
            logs = captured.lines();
        }

        assertThat(result.interfaceError()).contains("Key is not the correct length or format", ToolText.REDACTED).doesNotContain(token);
        assertThat(result.peerErrors()).containsOnlyKeys(bad.publicKey());
        assertThat(result.peerErrors().get(bad.publicKey())).contains("Key is not the correct length or format").doesNotContain(pskToken);
        assertThat(live()).containsOnlyKeys(good.publicKey());
        assertThat(logs).anyMatch(l -> l.contains("Key is not the correct length or format"));
        assertThat(logs).noneMatch(l -> l.contains(token) || l.contains(pskToken) || l.contains(token.substring(0, 20)));
    }

    @Test
    void thousandPeersFigures() throws IOException {
        List<WgPeerConfig> peers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            peers.add(new WgPeerConfig(TestKeys.generate().publicKey(), TestKeys.presharedKey(), null,
                    Set.of("10.70." + (i / 250) + "." + (i % 250 + 2) + "/32"), 0));
        }
        DesiredInterface all = new DesiredInterface(iface, "peerwarden:test/vpn", server.privateKey(), 51820,
                List.of("10.70.0.1/16"), null, peers, Map.of(), true, Set.of());
        driver.apply(new DesiredInterface(iface, "peerwarden:test/vpn", server.privateKey(), 51820,
                List.of("10.70.0.1/16"), null, List.of(), Map.of(), true, Set.of()));

        long t0 = System.nanoTime();
        ApplyResult full = driver.apply(all);
        long applyMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(full.peerErrors()).isEmpty();
        assertThat(WgDump.parse(ns.exec("wg", "show", iface, "dump")).peers()).hasSize(1000);

        List<WgPeerConfig> changed = new ArrayList<>(peers);
        WgPeerConfig p = peers.get(500);
        changed.set(500, new WgPeerConfig(p.publicKey(), p.presharedKey(), null, Set.of("10.70.9.9/32"), 0));
        runner.clearInvocations();
        long t1 = System.nanoTime();
        ApplyResult one = driver.apply(new DesiredInterface(iface, all.owner(), all.privateKey(), 51820, all.addresses(), null,
                changed, Map.of(), true, Set.of()));
        long changeMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(one.updates()).isEqualTo(1);
        assertThat(peerSets()).hasSize(1);

        long t2 = System.nanoTime();
        driver.apply(new DesiredInterface(iface, all.owner(), all.privateKey(), 51820, all.addresses(), null, changed, Map.of(), true, Set.of()));
        long noopMs = (System.nanoTime() - t2) / 1_000_000;

        String figures = String.format("1000 peers on wireguard-go: full apply %d ms (%d wg set runs), one change among 1000 %d ms "
                + "(%d wg set run), no-change pass %d ms%n", applyMs, full.wgSetInvocations(), changeMs, one.wgSetInvocations(), noopMs);
        System.out.print(figures);
        Files.writeString(Path.of("target", "agent-1000-peers.txt"), figures);
    }

    /** The real wg, except that it accepts and ignores the allowed IPs of one peer (wg saying yes to what it did not do). */
    private static final class IgnoresAllowedIpsOf implements CommandRunner {
        final CommandRunner real;
        volatile String victim;

        IgnoresAllowedIpsOf(CommandRunner real) {
            this.real = real;
        }

        @Override
        public Result run(List<String> argv) {
            String peer = victim;
            int at = peer == null ? -1 : argv.indexOf(peer);
            if (at < 0 || !argv.get(0).equals("wg") || !argv.get(1).equals("set")) {
                return real.run(argv);
            }
            List<String> altered = new ArrayList<>(argv);
            int ips = altered.subList(at, altered.size()).indexOf("allowed-ips");
            if (ips >= 0) {
                altered.set(at + ips + 1, "10.50.0.99/32");
            }
            return real.run(altered);
        }

        @Override
        public Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
            return real.start(argv, extraEnv, log);
        }
    }

    private long dumps() {
        return runner.invocations().stream().filter(argv -> argv.get(0).equals("wg") && argv.contains("dump")).count();
    }

    @Test
    void aPassWgAcceptedIsNotReadBackAndTheNextStatusPassCatchesWhatDoesNotShow() {
        IgnoresAllowedIpsOf wg = new IgnoresAllowedIpsOf(runner);
        InterfaceDriver told = new InterfaceDriver(wg, Implementation.AUTO, keyFiles);
        WgPeerConfig a = new WgPeerConfig(TestKeys.generate().publicKey(), TestKeys.presharedKey(), null, Set.of("10.50.0.2/32"), 0);
        WgPeerConfig b = new WgPeerConfig(TestKeys.generate().publicKey(), null, "10.99.0.2:51820", Set.of("10.50.0.3/32"), 25);
        assertThat(told.apply(desired(List.of(), Map.of())).interfaceOk()).isTrue();

        // 1. wg accepts both peers: the result is what it accepted, with one dump (before) and none after
        runner.clearInvocations();
        ApplyResult first = told.apply(desired(List.of(a, b), Map.of()));
        assertThat(first.peerErrors()).isEmpty();
        assertThat(first.notShown()).isEmpty();
        assertThat(first.live().peers()).containsOnlyKeys(a.publicKey(), b.publicKey());
        assertThat(dumps()).isEqualTo(1);
        assertThat(told.unread(iface)).isTrue();
        // the status pass reads the interface: it shows what was set, so the interface stays converged
        assertThat(told.observe(iface)).isPresent();
        assertThat(told.unread(iface)).isFalse();
        assertThat(told.converged(iface)).isTrue();
        assertThat(live()).isEqualTo(expectation(List.of(a, b)));

        // 2. wg says yes to a's new allowed IPs but does not set them: the pass reports what wg accepted ...
        wg.victim = a.publicKey();
        WgPeerConfig a2 = new WgPeerConfig(a.publicKey(), a.presharedKey(), null, Set.of("10.50.0.4/32"), 0);
        ApplyResult second = told.apply(desired(List.of(a2, b), Map.of()));
        assertThat(second.peerErrors()).isEmpty();
        assertThat(second.live().peers().get(a.publicKey()).allowedIps()).containsExactly("10.50.0.4/32");
        // ... and the next status pass sees it does not show: not converged, so the agent runs the full pass
        assertThat(told.observe(iface)).isEmpty();
        assertThat(told.converged(iface)).isFalse();

        // 3. that full pass sets it again and reads the interface back before it reports: a2 is not shown as configured
        runner.clearInvocations();
        ApplyResult repaired = told.apply(desired(List.of(a2, b), Map.of()));
        assertThat(dumps()).isEqualTo(2);
        assertThat(repaired.notShown()).containsExactly(a.publicKey());
        assertThat(told.converged(iface)).isFalse();
        // which the peer's status says: Applied=False, WgSetFailed (the other peer stays Applied)
        DesiredInterface want = desired(List.of(a2, b), Map.of());
        InterfacePlan plan = new InterfacePlan(iface, want, null, null,
                Map.of("a", PeerDisposition.desired(a2), "b", PeerDisposition.desired(b)));
        PeerObservation verdictA = PeerVerdicts.observe(plan.peers().get("a"), plan, repaired, Set.of());
        assertThat(verdictA.appliedStatus()).isEqualTo(Conditions.FALSE);
        assertThat(verdictA.appliedReason()).isEqualTo(Reasons.WG_SET_FAILED);
        assertThat(PeerVerdicts.observe(plan.peers().get("b"), plan, repaired, Set.of()).appliedReason()).isEqualTo(Reasons.APPLIED);

        // 4. once wg does what it says, the read-back shows everything applied and wg's word is trusted again
        wg.victim = null;
        ApplyResult fixed = told.apply(desired(List.of(a2, b), Map.of()));
        assertThat(fixed.notShown()).isEmpty();
        assertThat(told.converged(iface)).isTrue();
        assertThat(live()).isEqualTo(expectation(List.of(a2, b)));
        runner.clearInvocations();
        WgPeerConfig b2 = new WgPeerConfig(b.publicKey(), null, "10.99.0.2:51820", Set.of("10.50.0.5/32"), 25);
        told.apply(desired(List.of(a2, b2), Map.of()));
        assertThat(dumps()).isEqualTo(1);
        assertThat(told.unread(iface)).isTrue();
    }
}
