package io.peerwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.IpShow;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgDump;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node agent touches only links and routes it created, on real links in a throwaway network namespace with the
 * whole agent (informers, driver, status) against the CRUD mock: a CNI's bridge or another tool's WireGuard link of
 * the instance's name is left exactly as it was, also when the instance is deleted; a site route that exists via
 * another device is not replaced; and a key quoted by {@code wg} in its error never reaches status, Events or logs.
 */
class AgentOwnsOnlyItsLinksIT {

    private static final String NODE = "node-a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs ns;
    private FakeOperator operator;
    private ProcessCommandRunner runner;

    @BeforeEach
    void setUp() {
        ns = dataplane.netns("pwown");
        operator = dataplane.add(new FakeOperator());
        runner = ns.runner();
    }

    /** What a user would compare by hand: the link's details (without counters and timers), addresses, routes, wg's view. */
    private record LinkState(JsonNode link, Set<String> addresses, JsonNode routes, String wg) {
    }

    private LinkState state(String name, boolean wireguard) {
        JsonNode link = withoutCountersAndTimers(read(ns.exec("ip", "-d", "-j", "link", "show", "dev", name)));
        Set<String> addresses = IpShow.addresses(ns.exec("ip", "-j", "address", "show", "dev", name));
        JsonNode routes = read(ns.exec("ip", "-j", "route", "show", "table", "all", "dev", name));
        return new LinkState(link, addresses, routes, wireguard ? ns.exec("wg", "show", name, "dump") : null);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode withoutCountersAndTimers(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (field.startsWith("stats") || field.endsWith("_timer")) {
                    names.remove();
                }
            }
        }
        node.forEach(AgentOwnsOnlyItsLinksIT::withoutCountersAndTimers);
        return node;
    }

    private static Optional<Condition> applied(VpnInstance instance) {
        return instance == null || instance.getStatus() == null ? Optional.empty()
                : Conditions.find(instance.getStatus().getConditions(), ConditionTypes.APPLIED);
    }

    private static Optional<Condition> applied(VpnPeer peer) {
        return peer == null || peer.getStatus() == null ? Optional.empty()
                : Conditions.find(peer.getStatus().getConditions(), ConditionTypes.APPLIED);
    }

    private static String describe(Optional<Condition> c) {
        return c.map(x -> x.getStatus() + "/" + x.getReason() + ": " + x.getMessage()).orElse("no Applied condition");
    }

    private List<Event> events() {
        return operator.client.events().v1().events().inNamespace(FakeOperator.NS).list().getItems();
    }

    private boolean linkExists(String name) {
        return ns.execResult("ip", "link", "show", "dev", name).ok();
    }

    /** The agent's runs that name the link, other than reading it. */
    private List<List<String>> changesTo(String name) {
        return runner.invocations().stream().filter(argv -> argv.contains(name))
                .filter(argv -> !argv.equals(WgCommands.ipLinkShow(name))).toList();
    }

    /**
     * Deletes the instances, then the node's own instance {@code own}, and waits until the agent has torn down
     * {@code own}'s interface: by then it has seen every deletion and run its cleanup of vanished instances.
     */
    private void deleteAndWaitForCleanup(String ownIface, String... instances) {
        for (String instance : instances) {
            operator.client.resources(VpnInstance.class).inNamespace(FakeOperator.NS).withName(instance).delete();
        }
        operator.client.resources(VpnInstance.class).inNamespace(FakeOperator.NS).withName("own").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !linkExists(ownIface));
    }

    @Test
    void aPreExistingNonWireGuardLinkNamedLikeTheInstanceIsLeftExactlyAsItWas() {
        // a CNI's bridge, and a bridge that even carries a Peerwarden alias (of an instance that does not exist)
        ns.exec("ip", "link", "add", "cni0", "type", "bridge");
        // no IPv6 link-local: the kernel would add it (and its route) a moment after the link is up, whoever watches
        ns.exec("ip", "link", "set", "cni0", "addrgenmode", "none");
        ns.exec("ip", "link", "set", "cni0", "mtu", "1450", "up");
        ns.exec("ip", "address", "add", "10.244.1.1/24", "dev", "cni0");
        ns.exec("ip", "link", "add", "cni1", "type", "bridge");
        ns.exec("ip", "link", "set", "dev", "cni1", "alias", "peerwarden:default/gone");
        LinkState cni0 = state("cni0", false);
        LinkState cni1 = state("cni1", false);
        // an admin chose a prefix that the CNI's links share: still, the agent takes over nothing it did not create
        String ownIface = DataplaneFixture.interfaceName("cni");
        operator.instance("cni", NODE, "cni0", List.of("10.90.0.1/24"), 51840, TestKeys.generate());
        operator.instance("own", NODE, ownIface, List.of("10.90.1.1/24"), 51841, TestKeys.generate());

        dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS), null, "cni");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<Condition> c = applied(operator.getInstance("cni"));
            assertThat(c.map(Condition::getReason)).as(describe(c)).hasValue(Reasons.INTERFACE_IN_USE);
            assertThat(c.get().getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(c.get().getMessage()).contains("cni0", "kind bridge", "no alias");
            assertThat(applied(operator.getInstance("own")).map(Condition::getStatus)).hasValue(Conditions.TRUE);
            assertThat(events()).anyMatch(e -> Reasons.INTERFACE_IN_USE.equals(e.getReason()) && "cni".equals(e.getRegarding().getName()));
        });
        assertThat(state("cni0", false)).isEqualTo(cni0);
        assertThat(state("cni1", false)).isEqualTo(cni1);

        deleteAndWaitForCleanup(ownIface, "cni");

        assertThat(state("cni0", false)).isEqualTo(cni0);
        assertThat(state("cni1", false)).isEqualTo(cni1);
        assertThat(changesTo("cni0")).isEmpty();
        assertThat(changesTo("cni1")).isEmpty();
    }

    @Test
    void anInterfaceNameWithoutTheOwnedPrefixIsNotAllowedAndTheLinkIsNotEvenRead() {
        ns.exec("ip", "link", "add", "cni0", "type", "bridge");
        LinkState cni0 = state("cni0", false);
        operator.instance("cni", NODE, "cni0", List.of("10.90.0.1/24"), 51840, TestKeys.generate());

        dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<Condition> c = applied(operator.getInstance("cni"));
            assertThat(c.map(Condition::getReason)).as(describe(c)).hasValue(Reasons.INTERFACE_NAME_NOT_ALLOWED);
            assertThat(c.get().getMessage()).contains("cni0", "does not start with pw", "spec.interfaceName");
        });
        assertThat(state("cni0", false)).isEqualTo(cni0);
        assertThat(runner.invocations()).noneMatch(argv -> argv.contains("cni0"));
    }

    @Test
    void aPreExistingForeignWireGuardLinkIsLeftExactlyAsItWas() throws Exception {
        // another tool's WireGuard interface with the agent's prefix but without its alias (wireguard-go: no kernel module here)
        String foreign = DataplaneFixture.interfaceName("pwf");
        Path dir = dataplane.privateDirectory();
        Process wgGo = ns.runner().start(List.of("wireguard-go", foreign), Map.of("WG_PROCESS_FOREGROUND", "1"), dir.resolve("foreign.log"));
        dataplane.add(wgGo::destroy);
        await().atMost(Duration.ofSeconds(10)).until(() -> linkExists(foreign));
        Path key = Files.createFile(dir.resolve("foreign.key"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, TestKeys.generate().privateKey() + "\n");
        ns.exec("wg", "set", foreign, "listen-port", "51950", "private-key", key.toString(),
                "peer", TestKeys.generate().publicKey(), "allowed-ips", "10.77.0.2/32");
        ns.exec("ip", "address", "add", "10.77.0.1/24", "dev", foreign);
        ns.exec("ip", "link", "set", foreign, "up");
        LinkState before = state(foreign, true);
        String ownIface = DataplaneFixture.interfaceName("pwo");
        operator.instance("taker", NODE, foreign, List.of("10.78.0.1/24"), 51842, TestKeys.generate());
        operator.peer("alice", "taker", TestKeys.generate().publicKey(), List.of("10.78.0.2/32"), null, FakeOperator.client());
        operator.instance("own", NODE, ownIface, List.of("10.78.1.1/24"), 51843, TestKeys.generate());

        dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<Condition> c = applied(operator.getInstance("taker"));
            assertThat(c.map(Condition::getReason)).as(describe(c)).hasValue(Reasons.INTERFACE_IN_USE);
            assertThat(c.get().getMessage()).contains(foreign, "kind tun", "no alias");
            Optional<Condition> alice = applied(operator.get("alice"));
            assertThat(alice.map(Condition::getReason)).as(describe(alice)).hasValue(Reasons.INTERFACE_IN_USE);
            assertThat(applied(operator.getInstance("own")).map(Condition::getStatus)).hasValue(Conditions.TRUE);
        });
        assertThat(state(foreign, true)).isEqualTo(before);

        deleteAndWaitForCleanup(ownIface, "taker");

        assertThat(state(foreign, true)).isEqualTo(before);
        assertThat(wgGo.isAlive()).isTrue();
        assertThat(changesTo(foreign)).isEmpty();
    }

    @Test
    void aSiteRouteThatAlreadyExistsViaAnotherDeviceIsNotReplacedAndTheOtherPeersAreApplied() {
        ns.exec("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
        ns.exec("ip", "link", "set", "lan0", "up");
        ns.exec("ip", "link", "set", "lan1", "up");
        ns.exec("ip", "route", "add", "10.91.0.0/24", "dev", "lan0");
        String existing = ns.exec("ip", "-j", "route", "show", "exact", "10.91.0.0/24");
        String iface = DataplaneFixture.interfaceName("pwr");
        operator.instance("vpn", NODE, iface, List.of("10.89.0.1/24"), 51844, TestKeys.generate());
        TestKeys hq = TestKeys.generate();
        TestKeys branch = TestKeys.generate();
        TestKeys alice = TestKeys.generate();
        operator.peer("hq", "vpn", hq.publicKey(), List.of("10.89.0.2/32"), null,
                FakeOperator.site(List.of("10.91.0.0/24", "10.96.0.0/24"), "10.99.0.2:51820", 25));
        operator.peer("branch", "vpn", branch.publicKey(), List.of("10.89.0.3/32"), null,
                FakeOperator.site(List.of("10.92.0.0/24", "fd00:92::/64"), "10.99.0.3:51820", 25));
        operator.peer("alice", "vpn", alice.publicKey(), List.of("10.89.0.4/32"), null, FakeOperator.client());

        dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<Condition> c = applied(operator.get("hq"));
            assertThat(c.map(Condition::getReason)).as(describe(c)).hasValue(Reasons.ROUTE_CONFLICT);
            assertThat(c.get().getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(c.get().getMessage()).contains("10.91.0.0/24", "via lan0").doesNotContain("10.96.0.0/24");
            assertThat(applied(operator.get("branch")).map(Condition::getStatus)).as(describe(applied(operator.get("branch")))).hasValue(Conditions.TRUE);
            assertThat(applied(operator.get("alice")).map(Condition::getStatus)).hasValue(Conditions.TRUE);
            assertThat(applied(operator.getInstance("vpn")).map(Condition::getStatus)).hasValue(Conditions.TRUE);
            assertThat(events()).anyMatch(e -> Reasons.ROUTE_CONFLICT.equals(e.getReason()) && "hq".equals(e.getRegarding().getName()));
        });
        // the node's route is as it was; the site's other subnet and the other site's are routed to the VPN
        assertThat(ns.exec("ip", "-j", "route", "show", "exact", "10.91.0.0/24")).isEqualTo(existing);
        String ours = ns.exec("ip", "route", "show", "dev", iface, "proto", WgCommands.ROUTE_PROTO)
                + ns.exec("ip", "-6", "route", "show", "dev", iface, "proto", WgCommands.ROUTE_PROTO);
        assertThat(ours).contains("10.96.0.0/24", "10.92.0.0/24", "fd00:92::/64").doesNotContain("10.91.0.0/24");
        assertThat(runner.invocations()).noneMatch(argv -> argv.contains("replace"));
        WgDump dump = WgDump.parse(ns.exec("wg", "show", iface, "dump"));
        assertThat(dump.peers()).containsOnlyKeys(hq.publicKey(), branch.publicKey(), alice.publicKey());

        // the node's route goes: the next pass routes the subnet to the site and the conflict clears
        ns.exec("ip", "route", "del", "10.91.0.0/24", "dev", "lan0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(applied(operator.get("hq")).map(Condition::getStatus)).as(describe(applied(operator.get("hq")))).hasValue(Conditions.TRUE));
        assertThat(ns.exec("ip", "route", "show", "exact", "10.91.0.0/24")).contains("dev " + iface, "proto " + WgCommands.ROUTE_PROTO);
    }

    @Test
    void aKeyQuotedByWgInItsErrorAppearsNowhereInStatusEventsOrLogs() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getEncoder().encodeToString(bytes).substring(0, 43);
        random.nextBytes(bytes);
        String pskToken = Base64.getEncoder().encodeToString(bytes).substring(0, 43);
        String iface = DataplaneFixture.interfaceName("pwk");
        String otherIface = DataplaneFixture.interfaceName("pwk");
        List<String> logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            // an instance whose key Secret holds a token that is no key, and a peer whose preshared key is one
            operator.instance("leaky", NODE, iface, List.of("10.88.0.1/24"), 51845, new TestKeys(token, TestKeys.generate().publicKey()));
            operator.instance("vpn", NODE, otherIface, List.of("10.88.1.1/24"), 51846, TestKeys.generate());
            operator.peer("bob", "vpn", TestKeys.generate().publicKey(), List.of("10.88.1.2/32"), pskToken, FakeOperator.client());
            operator.peer("carol", "vpn", TestKeys.generate().publicKey(), List.of("10.88.1.3/32"), null, FakeOperator.client());

            dataplane.startAgent(operator.client, runner, NODE, Set.of(FakeOperator.NS));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Optional<Condition> leaky = applied(operator.getInstance("leaky"));
                assertThat(leaky.map(Condition::getStatus)).as(describe(leaky)).hasValue(Conditions.FALSE);
                Optional<Condition> bob = applied(operator.get("bob"));
                assertThat(bob.map(Condition::getStatus)).as(describe(bob)).hasValue(Conditions.FALSE);
                assertThat(applied(operator.get("carol")).map(Condition::getStatus)).hasValue(Conditions.TRUE);
                assertThat(events()).anyMatch(e -> "leaky".equals(e.getRegarding().getName()))
                        .anyMatch(e -> "bob".equals(e.getRegarding().getName()));
            });
            logs = captured.lines();
        }
        List<String> published = new ArrayList<>();
        published.add(JSON.valueToTree(operator.getInstance("leaky").getStatus()).toString());
        published.add(JSON.valueToTree(operator.get("bob").getStatus()).toString());
        events().forEach(e -> published.add(e.getReason() + " " + e.getNote()));
        published.addAll(logs);
        for (String text : published) {
            assertThat(text).doesNotContain(token).doesNotContain(pskToken)
                    .doesNotContain(token.substring(0, 20)).doesNotContain(pskToken.substring(0, 20));
        }
        // wg was refused the bad key or the agent itself: either way, the users see why without the value
        assertThat(describe(applied(operator.getInstance("leaky")))).containsAnyOf("Key is not the correct length or format", "key");
        // the agent refuses a published value that is no key before wg sees it (InvalidKey, with a Warning Event, awaited
        // above); wg's own quoting of a bad key file is redacted too (InterfaceDriverIT)
        assertThat(logs).as("the agent ran").isNotEmpty();
    }
}
