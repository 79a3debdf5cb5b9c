package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.InterfacePlan;
import io.peerwarden.core.node.PeerDisposition;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.wg.WgPeerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Applied verdict on a peer whose endpoint is a host name, with the real driver against a scripted stand-in for
 * {@code ip}/{@code wg} (no privileges): wg shows the resolved address, so the verdict must use the driver's record.
 */
class HostNameEndpointVerdictTest {

    private static final String IFACE = "pwunit0";
    private static final String OWNER = "peerwarden:test/vpn";
    private static final String SERVER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String SITE = Base64.getEncoder().encodeToString(filled(1));
    private static final String LITERAL = Base64.getEncoder().encodeToString(filled(2));

    private KeyFiles keyFiles;

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @AfterEach
    void tearDown() {
        if (keyFiles != null) {
            keyFiles.close();
        }
    }

    /** An existing, up, correctly keyed interface whose peers change only through {@code wg set}. */
    private static final class FakeWg implements CommandRunner {
        /** public key → endpoint, allowed IPs, keepalive as wg would show them. */
        final Map<String, String[]> peers = new LinkedHashMap<>();
        final List<List<String>> sets = new ArrayList<>();

        @Override
        public Result run(List<String> argv) {
            String joined = String.join(" ", argv);
            if (joined.startsWith("ip -d -j link show dev " + IFACE)) {
                return ok("[{\"ifname\":\"" + IFACE + "\",\"mtu\":1420,\"flags\":[\"UP\"],\"ifalias\":\"" + OWNER
                        + "\",\"linkinfo\":{\"info_kind\":\"wireguard\"}}]");
            }
            if (joined.equals("ip -j address show dev " + IFACE)) {
                return ok("[{\"addr_info\":[{\"local\":\"10.90.0.1\",\"prefixlen\":24,\"scope\":\"global\"}]}]");
            }
            if (joined.startsWith("ip -4 -j route show") || joined.startsWith("ip -6 -j route show")) {
                return ok("[]");
            }
            if (joined.equals("wg show " + IFACE + " dump")) {
                StringBuilder dump = new StringBuilder(SERVER_KEY + "\t" + SERVER_KEY + "\t51820\toff\n");
                peers.forEach((key, p) -> dump.append(key).append("\t(none)\t").append(p[0]).append('\t').append(p[1])
                        .append("\t0\t0\t0\t").append(p[2]).append('\n'));
                return ok(dump.toString());
            }
            if (argv.size() > 3 && argv.get(0).equals("wg") && argv.get(1).equals("set") && argv.get(3).equals("peer")) {
                sets.add(argv);
                String[] current = null;
                for (int i = 3; i < argv.size(); i++) {
                    switch (argv.get(i)) {
                        case "peer" -> current = peers.computeIfAbsent(argv.get(++i), k -> new String[] {"(none)", "(none)", "off"});
                        // wg resolves the name and shows the address
                        case "endpoint" -> current[0] = argv.get(++i).replace("localhost:", "127.0.0.1:");
                        case "allowed-ips" -> current[1] = argv.get(++i);
                        case "persistent-keepalive" -> current[2] = argv.get(++i);
                        default -> throw new IllegalArgumentException("unscripted wg set argument " + argv.get(i));
                    }
                }
                return ok("");
            }
            return ok("");
        }

        private static Result ok(String stdout) {
            return new Result(0, stdout, "");
        }

        @Override
        public Process start(List<String> argv, Map<String, String> extraEnv, Path log) {
            throw new UnsupportedOperationException();
        }
    }

    private static DesiredInterface desired(List<WgPeerConfig> peers) {
        return new DesiredInterface(IFACE, OWNER, SERVER_KEY, 51820, List.of("10.90.0.1/24"), null, peers, Map.of(), true, Set.of());
    }

    private static InterfacePlan plan(DesiredInterface want) {
        Map<String, PeerDisposition> plans = new LinkedHashMap<>();
        want.peers().forEach(p -> plans.put(p.publicKey(), PeerDisposition.desired(p)));
        return new InterfacePlan(IFACE, want, null, null, plans);
    }

    private static PeerObservation verdict(DesiredInterface want, ApplyResult result, String key) {
        return PeerVerdicts.observe(plan(want).peers().get(key), plan(want), result, Set.of());
    }

    @Test
    void hostNameEndpointSetByTheDriverIsAppliedInThatPassAndTheNext() throws Exception {
        keyFiles = new KeyFiles(Files.createTempDirectory("pwkeys"));
        FakeWg wg = new FakeWg();
        InterfaceDriver driver = new InterfaceDriver(wg, Implementation.KERNEL, keyFiles);
        DesiredInterface want = desired(List.of(
                new WgPeerConfig(SITE, null, "localhost:51899", Set.of("10.90.0.2/32"), 25),
                new WgPeerConfig(LITERAL, null, "127.0.0.1:51898", Set.of("10.90.0.3/32"), 0)));

        ApplyResult first = driver.apply(want);

        assertThat(wg.peers.get(SITE)[0]).isEqualTo("127.0.0.1:51899");
        assertThat(first.notShown()).isEmpty();
        PeerObservation site = verdict(want, first, SITE);
        assertThat(site.appliedStatus()).as(site.appliedMessage()).isEqualTo(Conditions.TRUE);
        assertThat(site.appliedReason()).isEqualTo(Reasons.APPLIED);
        assertThat(verdict(want, first, LITERAL).appliedStatus()).isEqualTo(Conditions.TRUE);

        // nothing to do on the next pass: still applied, and no wg set
        wg.sets.clear();
        ApplyResult second = driver.apply(want);
        assertThat(wg.sets).isEmpty();
        assertThat(verdict(want, second, SITE).appliedStatus()).isEqualTo(Conditions.TRUE);
    }

    @Test
    void afterARestartTheDriverSetsTheNameAgainAndTheVerdictFollowsItsRecord() throws Exception {
        keyFiles = new KeyFiles(Files.createTempDirectory("pwkeys"));
        FakeWg wg = new FakeWg();
        DesiredInterface want = desired(List.of(new WgPeerConfig(SITE, null, "localhost:51899", Set.of("10.90.0.2/32"), 25)));
        // a fresh driver (agent restart) has no record of the name behind the address it finds: it sets the name again
        wg.peers.put(SITE, new String[] {"127.0.0.1:51899", "10.90.0.2/32", "25"});
        InterfaceDriver driver = new InterfaceDriver(wg, Implementation.KERNEL, keyFiles);

        ApplyResult result = driver.apply(want);

        assertThat(wg.sets).hasSize(1);
        assertThat(verdict(want, result, SITE).appliedStatus()).isEqualTo(Conditions.TRUE);

        // the verdict itself: a peer the driver reports as not shown is WgSetFailed, even with a live entry
        ApplyResult notShown = new ApplyResult(result.implementation(), null, Map.of(), result.live(), Set.of(),
                Set.of(SITE), 0, 0, 0, 0, 0, 0);
        PeerObservation failed = verdict(want, notShown, SITE);
        assertThat(failed.appliedStatus()).isEqualTo(Conditions.FALSE);
        assertThat(failed.appliedReason()).isEqualTo(Reasons.WG_SET_FAILED);
    }
}
