package io.peerwarden.core.diff;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CidrsTest {

    @Test
    void theIpv4FastPathAgreesWithTheAddressLibraryOnRandomAddressesAndPrefixes() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            long address = random.nextInt() & 0xFFFFFFFFL;
            String text = (address >> 24) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
            String cidr = random.nextInt(4) == 0 ? text : text + "/" + random.nextInt(33);
            assertThat(Cidrs.ipv4Network(cidr)).as(cidr).isNotNull().isEqualTo(Cidrs.libraryNetwork(cidr));
            assertThat(Cidrs.network(cidr)).isEqualTo(Cidrs.libraryNetwork(cidr));
        }
    }

    @Test
    void anythingButAPlainDottedQuadIsLeftToTheLibrary() {
        for (String odd : List.of("010.0.0.1/32", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/08", "1.2.3", "1.2.3.4.5", " 1.2.3.4",
                "1.2.3.4/", "fd00::1/128", "10.0.0.1/24 ", "a.b.c.d", "1.2.3.4/x")) {
            assertThat(Cidrs.ipv4Network(odd)).as(odd).isNull();
        }
        assertThat(Cidrs.network("10.0.1.7/24")).isEqualTo("10.0.1.0/24");
        assertThat(Cidrs.network("10.0.0.5")).isEqualTo("10.0.0.5/32");
        assertThat(Cidrs.network("0.0.0.0/0")).isEqualTo("0.0.0.0/0");
        assertThat(Cidrs.network(" 10.0.0.5/32")).isEqualTo("10.0.0.5/32");
        assertThat(Cidrs.network("FD00:0::2")).isEqualTo("fd00::2/128");
    }
}
