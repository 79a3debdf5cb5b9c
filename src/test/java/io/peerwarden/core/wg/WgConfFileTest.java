package io.peerwarden.core.wg;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WgConfFileTest {

    private static final String KEY = "wCfzpkKmxmQSlf9AAz7ASQQprWy94T1uNnhlgG15G1s=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    @Test
    void writesOnePeerSectionWithEveryFieldSet() {
        String text = WgConfFile.peers(List.of(new WgPeerConfig(KEY, PSK, "[fd00::1]:51820", Set.of("10.0.0.3/32", "10.0.0.2/32"), 25),
                new WgPeerConfig(KEY, null, null, Set.of("10.0.0.4/32"), 0)));
        assertThat(text).isEqualTo("[Peer]\nPublicKey = " + KEY + "\nPresharedKey = " + PSK + "\nEndpoint = [fd00::1]:51820\n"
                + "PersistentKeepalive = 25\nAllowedIPs = 10.0.0.2/32,10.0.0.3/32\n"
                + "[Peer]\nPublicKey = " + KEY + "\nAllowedIPs = 10.0.0.4/32\n");
    }

    @Test
    void aValueThatCouldStartALineOrASectionIsNeverWritten() {
        WgPeerConfig injected = new WgPeerConfig(KEY, null, "vpn.example.com:51820\n[Interface]\nListenPort = 1", Set.of("10.0.0.2/32"), 0);
        assertThat(WgConfFile.writable(injected)).isFalse();
        assertThat(WgConfFile.writable(new WgPeerConfig(KEY, null, null, Set.of("10.0.0.2/32 # x"), 0))).isFalse();
        assertThat(WgConfFile.writable(new WgPeerConfig(KEY, null, "vpn.example.com:51820", Set.of("10.0.0.2/32"), 0))).isTrue();
        assertThatThrownBy(() -> WgConfFile.peers(List.of(injected))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Interface");
    }

    @Test
    void theCharacterCheckAllowsExactlyWhatItsPatternAllows() {
        for (char c = 0; c < 0x3000; c++) {
            String value = "10.0.0.2" + c + "32";
            boolean pattern = WgConfFile.SAFE.matcher(value).matches();
            assertThat(WgConfFile.writable(new WgPeerConfig(KEY, null, null, Set.of(value), 0))).as("char %d", (int) c).isEqualTo(pattern);
        }
        assertThat(WgConfFile.writable(new WgPeerConfig(KEY, "", null, Set.of("10.0.0.2/32"), 0))).isFalse();
    }
}
