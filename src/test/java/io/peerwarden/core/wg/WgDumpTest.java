package io.peerwarden.core.wg;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WgDumpTest {

    private static final String PRIV = "wCfzpkKmxmQSlf9AAz7ASQQprWy94T1uNnhlgG15G1s=";
    private static final String PUB = "ZQZHInv483DEsPgQHCRLS4dn5G5qjiv8CAmvU1tylkQ=";
    private static final String P1 = "UN35jqqgnC8k0PaRmKov/viIf7GRvmz/njr51aoZLB0=";
    private static final String P2 = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    @Test
    void parsesInterfaceLineAndPeersWithNoneAndOff() {
        String text = PRIV + "\t" + PUB + "\t51820\toff\n"
                + P1 + "\t(none)\t10.1.1.1:5000\t10.0.0.2/32,fd00::2/128\t0\t0\t0\t25\n"
                + P2 + "\t" + PSK + "\t(none)\t(none)\t1700000000\t1234\t5678\toff\n";

        WgDump dump = WgDump.parse(text);

        assertThat(dump.privateKey()).isEqualTo(PRIV);
        assertThat(dump.publicKey()).isEqualTo(PUB);
        assertThat(dump.listenPort()).isEqualTo(51820);
        assertThat(dump.fwmark()).isZero();
        assertThat(dump.peers()).containsOnlyKeys(P1, P2);
        assertThat(dump.peers().get(P1)).isEqualTo(new WgPeer(P1, null, "10.1.1.1:5000", Set.of("10.0.0.2/32", "fd00::2/128"), 0, 0, 0, 25));
        assertThat(dump.peers().get(P2)).isEqualTo(new WgPeer(P2, PSK, null, Set.of(), 1700000000L, 1234, 5678, 0));
    }

    @Test
    void parsesAnInterfaceWithoutKeyOrPeers() {
        WgDump dump = WgDump.parse("(none)\t(none)\t0\t0x1234\n".replace("0x1234", "4660"));

        assertThat(dump.privateKey()).isNull();
        assertThat(dump.publicKey()).isNull();
        assertThat(dump.fwmark()).isEqualTo(4660);
        assertThat(dump.peers()).isEmpty();
    }

    @Test
    void neverPrintsKeysOrPresharedKeys() {
        WgDump dump = WgDump.parse(PRIV + "\t" + PUB + "\t51820\toff\n" + P2 + "\t" + PSK + "\t(none)\t(none)\t0\t0\t0\toff\n");

        assertThat(dump.toString()).doesNotContain(PRIV).doesNotContain(PSK).contains(PUB).contains(P2);
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> WgDump.parse("a\tb\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WgDump.parse(PRIV + "\t" + PUB + "\t1\toff\nx\ty\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
