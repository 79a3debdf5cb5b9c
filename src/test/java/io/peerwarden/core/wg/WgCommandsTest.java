package io.peerwarden.core.wg;

import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.wg.WgCommands.PeerArgs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WgCommandsTest {

    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    private static String key(int i) {
        String base = String.format("%042d", i).replace('0', 'A');
        return base + "A=";
    }

    @Test
    void batchesManyPeersIntoFewWgSetRuns() {
        List<WgPeerConfig> desired = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            desired.add(new WgPeerConfig(key(i) + i, null, null, Set.of("10.0." + (i / 250) + "." + (i % 250) + "/32"), 0));
        }
        List<PeerArgs> args = PeerDiff.between(desired, Map.of()).wgSetArgs(psk -> Path.of("/x"));

        List<WgCommands.PeerBatch> batches = WgCommands.wgSetPeers("wg0", args, 500);

        assertThat(batches).extracting(b -> b.peers().size()).containsExactly(500, 500, 200);
        assertThat(batches.get(0).argv().subList(0, 3)).containsExactly("wg", "set", "wg0");
        assertThat(batches.stream().mapToLong(b -> b.argv().stream().filter("peer"::equals).count()).sum()).isEqualTo(1200);
        assertThat(batches.get(2).peers().get(0)).isEqualTo(args.get(1000));
    }

    @Test
    void passesPresharedKeysAsFilesAndRemovesFirst() {
        WgPeerConfig add = new WgPeerConfig("B", PSK, "192.0.2.1:51820", Set.of("10.0.0.3/32", "10.0.0.2/32"), 25);
        PeerDiff diff = PeerDiff.between(List.of(add), Map.of("A", new WgPeer("A", null, null, Set.of(), 0, 0, 0, 0)));

        List<String> argv = WgCommands.wgSetPeers("wg0", diff.wgSetArgs(psk -> Path.of("/dev/shm/k/1")), 500).get(0).argv();

        assertThat(argv).containsExactly("wg", "set", "wg0", "peer", "A", "remove",
                "peer", "B", "preshared-key", "/dev/shm/k/1", "endpoint", "192.0.2.1:51820", "persistent-keepalive", "25",
                "allowed-ips", "10.0.0.2/32,10.0.0.3/32");
        assertThat(String.join(" ", argv)).doesNotContain(PSK);
    }

    @Test
    void interfaceKeyIsAFile() {
        assertThat(WgCommands.wgSetInterface("wg0", 51820, Path.of("/run/k")))
                .containsExactly("wg", "set", "wg0", "listen-port", "51820", "private-key", "/run/k");
        assertThat(WgCommands.wgSetInterface("wg0", null, Path.of("/run/k"))).containsExactly("wg", "set", "wg0", "private-key", "/run/k");
    }

    @Test
    void siteRoutesAreAddedNeverReplacedAndOnlyTheAgentsAreListedOrDeleted() {
        assertThat(WgCommands.ipRouteAdd("pw-a", "10.60.0.0/24"))
                .containsExactly("ip", "route", "add", "10.60.0.0/24", "dev", "pw-a", "proto", WgCommands.ROUTE_PROTO);
        assertThat(WgCommands.ipRouteShow("-4", "pw-a")).containsSubsequence("dev", "pw-a", "proto", WgCommands.ROUTE_PROTO);
        assertThat(WgCommands.ipRouteDel("pw-a", "10.60.0.0/24")).containsSubsequence("del", "10.60.0.0/24", "dev", "pw-a", "proto", WgCommands.ROUTE_PROTO);
        assertThat(WgCommands.ipRouteShowExact("-6", "fd00:60::/64")).containsExactly("ip", "-6", "-j", "route", "show", "exact", "fd00:60::/64");
        assertThat(WgCommands.ROUTE_PROTO).as("not a protocol admins or other tools use").isNotIn("static", "boot", "kernel", "4", "3", "2");
    }
}
