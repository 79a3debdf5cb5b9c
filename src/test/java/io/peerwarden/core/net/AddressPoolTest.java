package io.peerwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPoolTest {

    @ParameterizedTest(name = "{0} offers {1} peer addresses")
    @CsvSource({
            "10.24.0.1/24, 253",       // 256 - network - broadcast - server
            "10.24.0.1/16, 65533",
            "10.24.0.1/30, 1",
            "10.24.0.0/31, 1",         // RFC 3021: no network/broadcast on /31
            "10.24.0.1/32, 0",
            "fd00:24::1/64, 18446744073709551614", // 2^64 - anycast - server
            "fd00:24::1/120, 254",
            "fd00:24::/127, 1",
            "fd00:24::1/128, 0",
    })
    void sizeExcludesServerAndReservedAddresses(String text, String size) {
        assertThat(AddressPool.of(text).size()).isEqualTo(new BigInteger(size));
    }

    @Test
    void exposesNetworkServerAndFamily() {
        AddressPool v4 = AddressPool.of("10.24.0.1/24");
        assertThat(v4.network()).isEqualTo(Cidr.parse("10.24.0.0/24"));
        assertThat(v4.serverAddress()).hasToString("10.24.0.1");
        assertThat(v4.isIPv4()).isTrue();
        AddressPool v6 = AddressPool.of("fd00:24::1/64");
        assertThat(v6.network()).isEqualTo(Cidr.parse("fd00:24::/64"));
        assertThat(v6.isIPv4()).isFalse();
    }

    @ParameterizedTest(name = "{0} in 10.24.0.1/24: {1}")
    @CsvSource({"10.24.0.5/32, true", "10.24.0.0/25, true", "10.24.0.0/24, true", "10.24.0.0/23, false",
            "10.25.0.5/32, false", "fd00::1/128, false"})
    void containsOnlyPrefixesInsideThePool(String cidr, boolean inside) {
        assertThat(AddressPool.of("10.24.0.1/24").contains(Cidr.parse(cidr))).isEqualTo(inside);
    }

    @ParameterizedTest(name = "{0} is reserved in its pool")
    @CsvSource({"10.24.0.1/24, 10.24.0.1", "10.24.0.1/24, 10.24.0.0", "10.24.0.1/24, 10.24.0.255",
            "fd00:24::1/64, fd00:24::", "fd00:24::1/64, fd00:24::1"})
    void reservedAddressesAreServerNetworkBroadcastAndAnycast(String pool, String address) {
        assertThat(AddressPool.of(pool).isReserved(Cidr.parse(address).address())).isTrue();
        assertThat(AddressPool.of(pool).containsReserved(Cidr.parse(address))).isTrue();
    }

    @Test
    void ipv6HasNoBroadcastAndSlash31HasNoNetworkAddress() {
        assertThat(AddressPool.of("fd00:24::1/120").isReserved(Cidr.parse("fd00:24::ff").address())).isFalse();
        assertThat(AddressPool.of("10.0.0.0/31").isReserved(Cidr.parse("10.0.0.1").address())).isFalse();
    }

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(strings = {"10.24.0.0/24", "10.24.0.255/24", "fd00:24::/64", "10.24.0.300/24", "10.24/16", "nonsense"})
    void rejectsInvalidOrReservedServerAddresses(String text) {
        assertThatThrownBy(() -> AddressPool.of(text)).isInstanceOf(InvalidCidrException.class).hasMessageContaining(text);
    }
}
