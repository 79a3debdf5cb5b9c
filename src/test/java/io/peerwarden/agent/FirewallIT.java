package io.peerwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerwarden.agent.metrics.AgentMetrics;
import io.peerwarden.api.v1alpha1.AccessRule;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Forwarding;
import io.peerwarden.api.v1alpha1.Nat;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.kube.StatusUpdates;
import io.peerwarden.ops.HealthServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forwarding, NAT and access rules through real tunnels. Namespaces: the server (the node: the agent applies the
 * instance there, with its own nftables), a client joined to it by a veth pair, and "the internet": a host at
 * 203.0.113.2 / 2001:db8:1::2 (and 198.51.100.7 behind it) outside every pool, reached only through the server,
 * with no route back to the pools. The server namespace stands for a Kubernetes node: its uplink forwards
 * ({@code net.ipv4.conf.<uplink>.forwarding=1}, as {@code ip_forward=1} gives every node) and IPv6 forwarding is on
 * ({@code net.ipv6.conf.all.forwarding=1}, as dual-stack clusters need); the WireGuard interface's own forwarding is
 * the agent's to enable.
 */
class FirewallIT {

    private static final String NODE = "node-a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs server;
    private NetNs client;
    private NetNs internet;
    private FakeOperator operator;
    private String serverIf;
    private TestKeys serverKey;
    private final AgentMetrics metrics = new AgentMetrics(Clock.systemUTC());

    @BeforeEach
    void setUp() {
        server = dataplane.netns("pwfsrv");
        client = dataplane.netns("pwfcli");
        internet = dataplane.netns("pwfnet");
        server.veth("vc0", "10.98.0.1/24", client, "vc1", "10.98.0.2/24");
        server.veth("vi0", "203.0.113.1/24", internet, "vi1", "203.0.113.2/24");
        server.exec("ip", "-6", "address", "add", "2001:db8:1::1/64", "dev", "vi0", "nodad");
        internet.exec("ip", "-6", "address", "add", "2001:db8:1::2/64", "dev", "vi1", "nodad");
        internet.exec("ip", "address", "add", "198.51.100.7/32", "dev", "lo");
        server.exec("ip", "route", "add", "198.51.100.7/32", "via", "203.0.113.2");
        server.exec("sysctl", "-q", "-w", "net.ipv4.conf.vi0.forwarding=1");
        server.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
        operator = dataplane.add(new FakeOperator());
        serverIf = DataplaneFixture.interfaceName("pwf");
        serverKey = TestKeys.generate();
    }

    private VpnInstance instance(Consumer<VpnInstanceSpec> spec) {
        operator.instance("vpn", NODE, serverIf, List.of("10.84.0.1/24", "fd84::1/64"), 51840, serverKey);
        editInstance(spec);
        return operator.getInstance("vpn");
    }

    /** Changes the instance's spec and stamps the new generation as processed (accepted), as the operator does. */
    private void editInstance(Consumer<VpnInstanceSpec> change) {
        VpnInstance edited = operator.client.resources(VpnInstance.class).inNamespace(operator.ns).withName("vpn").edit(i -> {
            change.accept(i.getSpec());
            return i;
        });
        StatusUpdates.update(operator.client, edited, VpnInstance.class, s -> {
            s.setObservedGeneration(edited.getMetadata().getGeneration());
            return s;
        });
    }

    /** Changes a peer's spec and stamps the new generation as processed, as the operator does. */
    private void editPeer(String name, Consumer<VpnPeerSpec> change) {
        VpnPeer edited = operator.client.resources(VpnPeer.class).inNamespace(operator.ns).withName(name).edit(p -> {
            change.accept(p.getSpec());
            return p;
        });
        StatusUpdates.update(operator.client, edited, VpnPeer.class, s -> {
            s.setObservedGeneration(edited.getMetadata().getGeneration());
            return s;
        });
    }

    private TestKeys clientPeer(String name, String v4, String v6, String psk) {
        TestKeys keys = TestKeys.generate();
        VpnPeerSpec spec = FakeOperator.client();
        spec.setRouteAll(true);
        operator.peer(name, "vpn", keys.publicKey(), v6 == null ? List.of(v4) : List.of(v4, v6), psk, spec);
        return keys;
    }

    private void startAgent() throws IOException {
        dataplane.startAgentWithFirewall(operator.client, server.runner(), NODE, Set.of(FakeOperator.NS), metrics);
    }

    private void awaitReady(String... peers) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String peer : peers) {
                assertThat(Conditions.isTrue(operator.get(peer).getStatus().getConditions(), ConditionTypes.READY)).as(peer).isTrue();
            }
        });
    }

    /** A routeAll client (AllowedIPs 0.0.0.0/0, ::/0) at {@code underlay}, its IPv6 address and default route added by hand. */
    private void bringUpClient(NetNs ns, TestKeys keys, String psk, String v4, String v6, String endpoint) throws IOException {
        String iface = DataplaneFixture.interfaceName("pwc");
        dataplane.bringUpClient(ns, iface, """
                [Interface]
                PrivateKey = %s
                Address = %s

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                Endpoint = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                """.formatted(keys.privateKey(), v4, serverKey.publicKey(), psk, endpoint));
        if (v6 != null) {
            ns.exec("ip", "-6", "address", "add", v6, "dev", iface, "nodad");
            ns.exec("ip", "-6", "route", "add", "::/0", "dev", iface);
        }
    }

    private static boolean ping(NetNs from, String to) {
        return from.execResult("ping", to.contains(":") ? "-6" : "-4", "-c", "1", "-W", "1", to).ok();
    }

    private static void awaitPing(NetNs from, String to) {
        await().atMost(Duration.ofSeconds(20)).until(() -> ping(from, to));
    }

    /** The chains of the agent's table, each with its rules' comments; empty when the table does not exist. */
    private List<String> ourRules() throws IOException {
        CommandRunner.Result listed = server.execResult("nft", "-j", "list", "table", "inet", "peerwarden");
        if (!listed.ok()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : JSON.readTree(listed.stdout()).path("nftables")) {
            if (item.has("chain")) {
                out.add("chain " + item.get("chain").get("name").asText());
            }
            if (item.has("rule")) {
                out.add(item.get("rule").get("chain").asText() + ": " + item.get("rule").path("comment").asText());
            }
        }
        return out;
    }

    @Test
    void natCarriesARouteAllClientToTheInternetWithTheServersAddressIpv4AndIpv6AndWithoutNatItDoesNot() throws IOException {
        instance(spec -> { });
        String psk = TestKeys.presharedKey();
        TestKeys laptop = clientPeer("laptop", "10.84.0.2/32", "fd84::2/128", psk);
        startAgent();
        awaitReady("laptop");
        bringUpClient(client, laptop, psk, "10.84.0.2/32", "fd84::2/128", "10.98.0.1:51840");
        TcpProbe.serve(internet, dataplane.privateDirectory().resolve("internet.log"), 8080);
        awaitPing(client, "10.84.0.1");
        // the agent enabled forwarding on the WireGuard interface, both families
        assertThat(server.exec("sysctl", "-n", "net.ipv4.conf." + serverIf + ".forwarding").strip()).isEqualTo("1");
        assertThat(server.exec("sysctl", "-n", "net.ipv6.conf." + serverIf + ".forwarding").strip()).isEqualTo("1");

        // without NAT: the packets reach the internet host with the client's address, and no answer comes back
        internet.exec("nft", "add", "table", "inet", "probe");
        internet.exec("nft", "add", "chain", "inet", "probe", "seen", "{ type filter hook input priority 0 ; }");
        internet.exec("nft", "add", "rule", "inet", "probe", "seen", "ip", "saddr", "10.84.0.2", "counter");
        assertThat(ping(client, "203.0.113.2")).isFalse();
        assertThat(ping(client, "2001:db8:1::2")).isFalse();
        assertThat(TcpProbe.connect(client, "203.0.113.2", 8080)).isEmpty();
        assertThat(internet.exec("nft", "list", "table", "inet", "probe")).containsPattern("counter packets [1-9]");
        assertThat(ourRules()).noneMatch(r -> r.contains("masquerade"));

        editInstance(spec -> spec.setNat(new Nat(true)));
        awaitPing(client, "203.0.113.2");
        awaitPing(client, "2001:db8:1::2");
        await().atMost(Duration.ofSeconds(20)).until(() -> TcpProbe.connect(client, "203.0.113.2", 8080).isPresent());
        assertThat(TcpProbe.connect(client, "203.0.113.2", 8080)).contains("203.0.113.1");
        assertThat(TcpProbe.connect(client, "2001:db8:1::2", 8080)).contains("2001:db8:1:0:0:0:0:1");
        assertThat(ourRules()).contains("chain default.nat." + serverIf)
                .anyMatch(r -> r.contains("masquerade 10.84.0.0/24")).anyMatch(r -> r.contains("masquerade fd84::/64"));

        // NAT off again: the masquerade rules go
        editInstance(spec -> spec.setNat(new Nat(false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ping(client, "203.0.113.2"));
        assertThat(ourRules()).noneMatch(r -> r.contains("masquerade"));
    }

    @Test
    void aSiteSubnetHostIsReachedFromAClientThroughTheServerAndBackWithItsOwnAddresses() throws IOException {
        NetNs site = dataplane.netns("pwfsite");
        server.veth("vs0", "10.99.0.1/24", site, "vs1", "10.99.0.2/24");
        site.exec("ip", "address", "add", "10.85.0.1/32", "dev", "lo");
        instance(spec -> spec.setNat(new Nat(true)));
        String psk = TestKeys.presharedKey();
        TestKeys laptop = clientPeer("laptop", "10.84.0.2/32", null, psk);
        TestKeys branch = TestKeys.generate();
        operator.peer("branch", "vpn", branch.publicKey(), List.of("10.84.0.3/32"), null,
                FakeOperator.site(List.of("10.85.0.0/24"), "10.99.0.2:51841", 25));
        startAgent();
        awaitReady("laptop", "branch");
        bringUpClient(client, laptop, psk, "10.84.0.2/32", null, "10.98.0.1:51840");
        dataplane.bringUpClient(site, DataplaneFixture.interfaceName("pwx"), """
                [Interface]
                PrivateKey = %s
                Address = 10.84.0.3/32
                ListenPort = 51841

                [Peer]
                PublicKey = %s
                Endpoint = 10.99.0.1:51840
                AllowedIPs = 10.84.0.0/24
                """.formatted(branch.privateKey(), serverKey.publicKey()));
        TcpProbe.serve(site, dataplane.privateDirectory().resolve("site.log"), 8080);

        awaitPing(client, "10.85.0.1");
        await().atMost(Duration.ofSeconds(20)).until(() -> site.execResult("ping", "-c", "1", "-W", "1", "-I", "10.85.0.1", "10.84.0.2").ok());
        // tunnel to tunnel is not masqueraded: the site host sees the client's own address
        await().atMost(Duration.ofSeconds(20)).until(() -> TcpProbe.connect(client, "10.85.0.1", 8080).isPresent());
        assertThat(TcpProbe.connect(client, "10.85.0.1", 8080)).contains("10.84.0.2");
    }

    @Test
    void accessRulesLimitAClientToOneDestinationAndPortAndRemovingThemRestoresAccess() throws IOException {
        instance(spec -> spec.setNat(new Nat(true)));
        String psk = TestKeys.presharedKey();
        TestKeys laptop = clientPeer("laptop", "10.84.0.2/32", "fd84::2/128", psk);
        startAgent();
        awaitReady("laptop");
        bringUpClient(client, laptop, psk, "10.84.0.2/32", "fd84::2/128", "10.98.0.1:51840");
        TcpProbe.serve(internet, dataplane.privateDirectory().resolve("internet.log"), 8080, 8081);
        awaitPing(client, "203.0.113.2");
        await().atMost(Duration.ofSeconds(20)).until(() -> TcpProbe.connect(client, "203.0.113.2", 8081).isPresent());

        editPeer("laptop", spec -> spec.setAccess(List.of(new AccessRule("203.0.113.2/32", "tcp", List.of(8080)))));
        await().atMost(Duration.ofSeconds(20)).until(() -> TcpProbe.connect(client, "203.0.113.2", 8081).isEmpty());
        assertThat(TcpProbe.connect(client, "203.0.113.2", 8080)).contains("203.0.113.1");
        assertThat(ping(client, "203.0.113.2")).as("icmp to the allowed host").isFalse();
        assertThat(ping(client, "198.51.100.7")).as("another destination").isFalse();
        assertThat(ping(client, "2001:db8:1::2")).as("IPv6, which no rule allows").isFalse();
        assertThat(ping(client, "10.84.0.1")).as("the node itself").isFalse();

        editPeer("laptop", spec -> spec.setAccess(null));
        await().atMost(Duration.ofSeconds(20)).until(() -> TcpProbe.connect(client, "203.0.113.2", 8081).isPresent());
        assertThat(ping(client, "198.51.100.7")).isTrue();
        assertThat(ping(client, "2001:db8:1::2")).isTrue();
        assertThat(ourRules()).noneMatch(r -> r.contains("peer laptop"));
    }

    @Test
    void clientToClientTrafficIsDroppedWhenTheInstanceSaysSo() throws IOException {
        NetNs phoneNs = dataplane.netns("pwfcl2");
        server.veth("vp0", "10.97.0.1/24", phoneNs, "vp1", "10.97.0.2/24");
        instance(spec -> { });
        String psk = TestKeys.presharedKey();
        TestKeys laptop = clientPeer("laptop", "10.84.0.2/32", null, psk);
        String psk2 = TestKeys.presharedKey();
        TestKeys phone = clientPeer("phone", "10.84.0.3/32", null, psk2);
        startAgent();
        awaitReady("laptop", "phone");
        bringUpClient(client, laptop, psk, "10.84.0.2/32", null, "10.98.0.1:51840");
        bringUpClient(phoneNs, phone, psk2, "10.84.0.3/32", null, "10.97.0.1:51840");
        awaitPing(phoneNs, "10.84.0.1");
        awaitPing(client, "10.84.0.3");

        editInstance(spec -> spec.setForwarding(new Forwarding(true, false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ping(client, "10.84.0.3"));
        assertThat(ping(phoneNs, "10.84.0.2")).isFalse();
        assertThat(ping(client, "10.84.0.1")).as("the server is still reached").isTrue();

        editInstance(spec -> spec.setForwarding(null));
        awaitPing(client, "10.84.0.3");
    }

    @Test
    void theAgentOwnsExactlyItsTableRestartChangesNothingAHandDeletedRuleComesBackAndDeletingTheInstanceLeavesNothing()
            throws Exception {
        // another table on the node, which the agent must leave exactly as it is
        server.exec("nft", "add", "table", "ip", "other");
        server.exec("nft", "add", "chain", "ip", "other", "keep", "{ type filter hook forward priority 5 ; policy accept ; }");
        server.exec("nft", "add", "rule", "ip", "other", "keep", "ip", "saddr", "192.0.2.9", "counter", "drop");
        String otherBefore = server.exec("nft", "-j", "list", "table", "ip", "other");

        VpnInstance created = instance(spec -> {
            spec.setNat(new Nat(true));
            spec.setForwarding(new Forwarding(true, false));
            spec.setAccess(List.of(new AccessRule("10.0.0.0/8", "tcp", List.of(443, 22)), new AccessRule("fd00::/8", null, null)));
        });
        clientPeer("laptop", "10.84.0.2/32", "fd84::2/128", TestKeys.presharedKey());
        clientPeer("phone", "10.84.0.3/32", null, TestKeys.presharedKey());
        Agent first = dataplane.startAgentWithFirewall(operator.client, server.runner(), NODE, Set.of(FakeOperator.NS), metrics);
        await().atMost(Duration.ofSeconds(30)).until(() -> ourRules().containsAll(List.of("chain default.fwd." + serverIf,
                "chain default.in." + serverIf, "chain default.nat." + serverIf)));
        first.passNow();
        String before = server.exec("nft", "-j", "list", "table", "inet", "peerwarden");
        assertThat(ourRules()).anyMatch(r -> r.contains("client to client ipv4")).anyMatch(r -> r.contains("peer laptop to 10.0.0.0/8 tcp [443, 22]"))
                .anyMatch(r -> r.contains("peer phone other destinations"));
        first.close();

        AgentMetrics afterRestart = new AgentMetrics(Clock.systemUTC());
        Agent second = dataplane.startAgentWithFirewall(operator.client, server.runner(), NODE, Set.of(FakeOperator.NS), afterRestart);
        await().atMost(Duration.ofSeconds(30)).until(second::ready);
        second.passNow();
        second.passNow();
        assertThat(server.exec("nft", "-j", "list", "table", "inet", "peerwarden")).as("rules, handles and order after the restart").isEqualTo(before);
        assertThat(value(afterRestart.scrape(), AgentMetrics.FIREWALL_CHANGES, "")).isEqualTo(0.0);

        // a rule deleted by hand comes back, and only that one is added
        JsonNode masquerade = null;
        for (JsonNode item : JSON.readTree(before).path("nftables")) {
            if (item.has("rule") && item.get("rule").path("comment").asText().contains("masquerade 10.84.0.0/24")) {
                masquerade = item.get("rule");
            }
        }
        assertThat(masquerade).isNotNull();
        List<String> rulesBefore = ourRules();
        server.exec("nft", "delete", "rule", "inet", "peerwarden", masquerade.get("chain").asText(), "handle", masquerade.get("handle").asText());
        assertThat(ourRules()).hasSize(rulesBefore.size() - 1);
        // the change is counted once the batch that restored it has run: wait for both, then it is exactly one
        await().atMost(Duration.ofSeconds(20)).until(() -> ourRules().equals(rulesBefore)
                && value(afterRestart.scrape(), AgentMetrics.FIREWALL_CHANGES, "") >= 1.0);
        second.passNow();
        assertThat(value(afterRestart.scrape(), AgentMetrics.FIREWALL_CHANGES, "")).isEqualTo(1.0);

        // a forward chain elsewhere that drops by default: our accept cannot override it; the agent says so
        server.exec("nft", "add", "table", "ip", "filter");
        server.exec("nft", "add", "chain", "ip", "filter", "FORWARD", "{ type filter hook forward priority 0 ; policy drop ; }");
        await().atMost(Duration.ofSeconds(20)).until(() -> operator.client.events().v1().events().inNamespace(operator.ns).list().getItems()
                .stream().anyMatch(e -> Reasons.FORWARD_POLICY_DROP.equals(e.getReason()) && e.getNote().contains("ip filter FORWARD")));
        server.exec("nft", "delete", "table", "ip", "filter");

        // the instance goes: nothing of ours is left, the other table is untouched
        operator.client.resource(created).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !server.execResult("nft", "list", "table", "inet", "peerwarden").ok());
        assertThat(server.exec("nft", "list", "tables")).doesNotContain("peerwarden");
        assertThat(server.exec("nft", "-j", "list", "table", "ip", "other")).isEqualTo(otherBefore);
    }

    @Test
    void aFailingNftBatchIsAWarningEventOnTheInstanceThePeersStayAppliedAndTheRulesComeOnceItSucceeds() throws IOException {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
        CommandRunner real = server.runner();
        CommandRunner refusing = new CommandRunner() {
            @Override
            public Result run(List<String> argv) {
                if (refuse.get() && argv.get(0).equals("nft") && argv.contains("-f")) {
                    return new Result(1, "", "Error: Could not process rule: Operation not permitted");
                }
                return real.run(argv);
            }

            @Override
            public Process start(List<String> argv, java.util.Map<String, String> extraEnv, java.nio.file.Path log) throws IOException {
                return real.start(argv, extraEnv, log);
            }
        };
        instance(spec -> spec.setNat(new Nat(true)));
        clientPeer("laptop", "10.84.0.2/32", null, TestKeys.presharedKey());
        dataplane.startAgentWithFirewall(operator.client, refusing, NODE, Set.of(FakeOperator.NS), metrics);

        await().atMost(Duration.ofSeconds(30)).until(() -> operator.client.events().v1().events().inNamespace(operator.ns).list().getItems()
                .stream().anyMatch(e -> Reasons.FIREWALL_FAILED.equals(e.getReason()) && e.getNote().contains("Operation not permitted")));
        awaitReady("laptop");
        assertThat(ourRules()).isEmpty();
        assertThat(value(metrics.scrape(), AgentMetrics.INSTANCE_APPLY_ERRORS, "instance=\"vpn\",namespace=\"default\"")).isPositive();

        refuse.set(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> ourRules().stream().anyMatch(r -> r.contains("masquerade 10.84.0.0/24")));
    }

    @Test
    void metricsShowEachPeersBytesAndHandshakeAgeAsWgShowDumpDoesAndBytesStayCumulativeOverAnInterfaceRestart() throws Exception {
        instance(spec -> { });
        String psk = TestKeys.presharedKey();
        TestKeys laptop = clientPeer("laptop", "10.84.0.2/32", null, psk);
        startAgent();
        awaitReady("laptop");
        bringUpClient(client, laptop, psk, "10.84.0.2/32", null, "10.98.0.1:51840");
        awaitPing(client, "10.84.0.1");
        client.exec("ping", "-c", "5", "-i", "0.2", "-W", "1", "10.84.0.1");

        try (HealthServer http = new HealthServer(0, () -> true, () -> true, metrics::scrape)) {
            HttpClient httpClient = HttpClient.newHttpClient();
            String labels = "instance=\"vpn\",namespace=\"default\",peer=\"laptop\"";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String body = httpClient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                WgPeer live = WgDump.parse(server.exec("wg", "show", serverIf, "dump")).peers().get(laptop.publicKey());
                assertThat(live.receiveBytes()).isPositive();
                assertThat(value(body, AgentMetrics.PEER_RECEIVED, labels)).isEqualTo((double) live.receiveBytes());
                assertThat(value(body, AgentMetrics.PEER_SENT, labels)).isEqualTo((double) live.sentBytes());
                double age = System.currentTimeMillis() / 1000.0 - live.latestHandshake();
                assertThat(value(body, AgentMetrics.PEER_HANDSHAKE_AGE, labels)).isBetween(age - 2, age + 2);
                assertThat(value(body, AgentMetrics.PEER_HANDSHAKE_TIME, labels)).isEqualTo((double) live.latestHandshake());
                assertThat(value(body, AgentMetrics.PEER_CONNECTED, labels)).isEqualTo(1.0);
                assertThat(value(body, AgentMetrics.INSTANCE_PEERS, "instance=\"vpn\",namespace=\"default\"")).isEqualTo(1.0);
                assertThat(body).doesNotContain(laptop.publicKey()).doesNotContain(serverKey.publicKey());
            });

            // the interface goes and comes back (counters restart at 0): the bytes stay cumulative, as status counts them
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                VpnPeer p = operator.get("laptop");
                return p.getStatus().getTransfer() != null && value(metrics.scrape(), AgentMetrics.PEER_RECEIVED, labels)
                        .equals((double) p.getStatus().getTransfer().getReceiveBytes());
            });
            long before = operator.get("laptop").getStatus().getTransfer().getReceiveBytes();
            server.exec("ip", "link", "del", "dev", serverIf);
            await().atMost(Duration.ofSeconds(30)).until(() -> ping(client, "10.84.0.1"));
            client.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.84.0.1");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                WgPeer live = WgDump.parse(server.exec("wg", "show", serverIf, "dump")).peers().get(laptop.publicKey());
                assertThat(live.receiveBytes()).as("a new session, counted from 0").isPositive();
                assertThat(value(metrics.scrape(), AgentMetrics.PEER_RECEIVED, labels)).isEqualTo((double) (before + live.receiveBytes()));
                assertThat(operator.get("laptop").getStatus().getTransfer().getReceiveBytes()).isEqualTo(before + live.receiveBytes());
            });
        }
    }

    /** The value of {@code name{labels}} in a Prometheus text exposition (labels as exported, sorted). */
    static Double value(String exposition, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "(\\{[^}]*\\})?" : Pattern.quote("{" + labels + "}"))
                + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            return null;
        }
        return Double.parseDouble(m.group(labels.isEmpty() ? 2 : 1));
    }
}
