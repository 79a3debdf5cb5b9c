package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} parses to {1} (network {2})")
    @CsvSource({
            "10.0.0.1/24, 10.0.0.1/24, 10.0.0.0/24",
            "10.0.0.0/24, 10.0.0.0/24, 10.0.0.0/24",
            "10.0.0.7, 10.0.0.7/32, 10.0.0.7/32",
            "0.0.0.0/0, 0.0.0.0/0, 0.0.0.0/0",
            "fd00:24::1/64, fd00:24::1/64, fd00:24::/64",
            "FD00:0024:0:0::1/64, fd00:24::1/64, fd00:24::/64",
            "fd00::5, fd00::5/128, fd00::5/128",
            "::/0, ::/0, ::/0",
            "::ffff:1.2.3.4/128, ::ffff:102:304/128, ::ffff:102:304/128",
    })
    void parsesValidCidrsToCanonicalText(String text, String canonical, String network) {
        Cidr cidr = Cidr.parse(text);
        assertThat(cidr).hasToString(canonical);
        assertThat(cidr.network()).hasToString(network);
        assertThat(Cidr.parse(canonical)).isEqualTo(cidr);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"10.0.0.300/24", "10.1/16", "10.1", "10.0.0.1/33", "fd00::1/129", "010.0.0.1", "0x0a.0.0.1",
            "fe80::1%eth0", "fe80::1%eth0/64", "10.0.0.*", "10.0.0.1-5", "*", "/24", "10.0.0.0/255.255.255.0",
            " 10.0.0.1", "10.0.0.1 ", "", "10.0.0.1/", "1:2:3:4:5:6:7:8:9", "example.com", "10.0.0.1/24/8"})
    void rejectsInvalidAndLooseForms(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(InvalidCidrException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a valid IPv4 or IPv6 CIDR");
    }

    @Test
    void messageNamesTheValueAndWhy() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.300/24"))
                .hasMessage("'10.0.0.300/24' is not a valid IPv4 or IPv6 CIDR");
    }

    @Test
    void nullIsRejectedWithAMessage() {
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(InvalidCidrException.class);
    }

    @Test
    void bareAddressIsAHostPrefix() {
        assertThat(Cidr.parse("10.0.0.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("fd00::7").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("fd00::7").isIPv4()).isFalse();
        assertThat(Cidr.parse("10.0.0.7").isHost()).isTrue();
        assertThat(Cidr.host(Cidr.parse("10.0.0.7/24").address())).isEqualTo(Cidr.parse("10.0.0.7/32"));
    }

    @Test
    void hostBitsAreKeptButDistinguishEqualNetworks() {
        Cidr a = Cidr.parse("10.0.0.1/24");
        Cidr b = Cidr.parse("10.0.0.2/24");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.network()).isEqualTo(b.network()).hasSameHashCodeAs(b.network());
        assertThat(a.address()).hasToString("10.0.0.1");
        assertThat(a.first()).hasToString("10.0.0.0");
        assertThat(a.last()).hasToString("10.0.0.255");
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}, overlaps: {3}")
    @CsvSource({
            "10.0.0.0/24, 10.0.0.5/32, true, true",
            "10.0.0.0/24, 10.0.0.0/24, true, true",
            "10.0.0.5/32, 10.0.0.0/24, false, true",
            "10.0.0.0/24, 10.0.1.0/24, false, false",
            "10.0.0.0/23, 10.0.1.0/24, true, true",
            "10.0.0.1/24, 10.0.0.200/30, true, true",
            "fd00::/64, fd00::1:2/128, true, true",
            "fd00::/64, fd00:0:0:1::/64, false, false",
            "::/0, 10.0.0.1/32, false, false",
            "0.0.0.0/0, ::1/128, false, false",
            "::ffff:0:0/96, 10.0.0.1/32, false, false",
    })
    void containmentAndOverlapWithinOneFamilyOnly(String a, String b, boolean contains, boolean overlaps) {
        assertThat(Cidr.parse(a).contains(Cidr.parse(b))).isEqualTo(contains);
        assertThat(Cidr.parse(a).overlaps(Cidr.parse(b))).isEqualTo(overlaps);
        assertThat(Cidr.parse(b).overlaps(Cidr.parse(a))).isEqualTo(overlaps);
    }

    @Test
    void sortsIPv4BeforeIPv6ThenByNetworkThenPrefixLength() {
        List<Cidr> sorted = new ArrayList<>(List.of(Cidr.parse("fd00::1"), Cidr.parse("10.0.1.0/24"),
                Cidr.parse("10.0.0.0/16"), Cidr.parse("10.0.0.0/24"), Cidr.parse("9.255.255.255")));
        Collections.shuffle(sorted);
        Collections.sort(sorted);
        assertThat(sorted).extracting(Cidr::toString)
                .containsExactly("9.255.255.255/32", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "fd00::1/128");
    }
}
