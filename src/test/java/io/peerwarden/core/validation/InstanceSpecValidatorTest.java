package io.peerwarden.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.Cidr;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceSpecValidatorTest {

    private final InstanceSpecValidator validator = new InstanceSpecValidator();

    static VpnInstanceSpec instance() {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(List.of("10.24.0.1/24"));
        spec.setNodeName("node-1");
        return spec;
    }

    private static Named<Consumer<VpnInstanceSpec>> set(String description, Consumer<VpnInstanceSpec> change) {
        return Named.of(description, change);
    }

    static Stream<Arguments> validSpecs() {
        return Stream.of(
                arguments(set("minimal", s -> { })),
                arguments(set("dual stack with everything", s -> {
                    s.setProtocol("wireguard");
                    s.setInterfaceName("wg_office.1+=-");
                    s.setAddress(List.of("10.24.0.1/24", "fd00:24::1/64"));
                    s.setListenPort(65535);
                    s.setEndpoint("vpn.example.com");
                    s.setDns(List.of("10.24.0.1", "fd00:24::1", "corp.example.com"));
                    s.setMtu(1420);
                    s.setPersistentKeepalive(25);
                    s.setPrivateKeySecretRef(new SecretKeyRef("office-key", null));
                })),
                arguments(set("IPv6 only", s -> s.setAddress(List.of("fd00:24::1/64")))),
                arguments(set("protocol and listen port omitted", s -> { s.setProtocol(null); s.setListenPort(null); })),
                arguments(set("endpoint IPv4 with port", s -> s.setEndpoint("203.0.113.7:51820"))),
                arguments(set("endpoint IPv6 without port", s -> s.setEndpoint("[2001:db8::7]"))),
                arguments(set("endpoint IPv6 with port", s -> s.setEndpoint("[2001:db8::7]:1"))),
                arguments(set("node selector instead of node name", s -> { s.setNodeName(null); s.setNodeSelector(Map.of("vpn", "true")); })),
                arguments(set("interface name of 15 characters", s -> s.setInterfaceName("a".repeat(15)))),
                arguments(set("listen port 1", s -> s.setListenPort(1))));
    }

    @ParameterizedTest(name = "{0} is valid")
    @MethodSource("validSpecs")
    void acceptsValidSpecs(Consumer<VpnInstanceSpec> change) {
        VpnInstanceSpec spec = instance();
        change.accept(spec);
        assertThat(validator.validate(spec)).isEmpty();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                arguments(set("openvpn", s -> s.setProtocol("openvpn")), Reasons.UNSUPPORTED_PROTOCOL, "spec.protocol", "only wireguard is supported"),
                arguments(set("empty interface name", s -> s.setInterfaceName("")), Reasons.INVALID_INTERFACE_NAME, "spec.interfaceName", "''"),
                arguments(set("interface name of 16 characters", s -> s.setInterfaceName("a".repeat(16))), Reasons.INVALID_INTERFACE_NAME, "spec.interfaceName", "a".repeat(16)),
                arguments(set("interface name with slash", s -> s.setInterfaceName("wg/0")), Reasons.INVALID_INTERFACE_NAME, "spec.interfaceName", "wg/0"),
                arguments(set("interface name with space", s -> s.setInterfaceName("wg 0")), Reasons.INVALID_INTERFACE_NAME, "spec.interfaceName", "wg 0"),
                arguments(set("no address", s -> s.setAddress(List.of())), Reasons.INVALID_ADDRESS, "spec.address", "at least one"),
                arguments(set("address missing", s -> s.setAddress(null)), Reasons.INVALID_ADDRESS, "spec.address", "at most one per family"),
                arguments(set("address not a CIDR", s -> s.setAddress(List.of("10.24.0.300/24"))), Reasons.INVALID_ADDRESS, "spec.address[0]", "10.24.0.300/24"),
                arguments(set("address IPv6 not a CIDR", s -> s.setAddress(List.of("10.24.0.1/24", "fd00:24::1/129"))), Reasons.INVALID_ADDRESS, "spec.address[1]", "fd00:24::1/129"),
                arguments(set("address with zone", s -> s.setAddress(List.of("fe80::1%eth0/64"))), Reasons.INVALID_ADDRESS, "spec.address[0]", "fe80::1%eth0/64"),
                arguments(set("address is the network", s -> s.setAddress(List.of("10.24.0.0/24"))), Reasons.INVALID_ADDRESS, "spec.address[0]", "network address"),
                arguments(set("two IPv4 addresses", s -> s.setAddress(List.of("10.24.0.1/24", "10.25.0.1/24"))), Reasons.INVALID_ADDRESS, "spec.address[1]", "10.25.0.1/24"),
                arguments(set("two IPv6 addresses", s -> s.setAddress(List.of("fd00:24::1/64", "fd00:25::1/64"))), Reasons.INVALID_ADDRESS, "spec.address[1]", "fd00:25::1/64"),
                arguments(set("listen port 0", s -> s.setListenPort(0)), Reasons.INVALID_LISTEN_PORT, "spec.listenPort", "0"),
                arguments(set("listen port 65536", s -> s.setListenPort(65536)), Reasons.INVALID_LISTEN_PORT, "spec.listenPort", "65536"),
                arguments(set("endpoint IPv6 without brackets", s -> s.setEndpoint("2001:db8::7")), Reasons.INVALID_ENDPOINT, "spec.endpoint", "2001:db8::7"),
                arguments(set("endpoint bad port", s -> s.setEndpoint("vpn.example.com:http")), Reasons.INVALID_ENDPOINT, "spec.endpoint", "vpn.example.com:http"),
                arguments(set("endpoint bad host", s -> s.setEndpoint("vpn..example.com")), Reasons.INVALID_ENDPOINT, "spec.endpoint", "vpn..example.com"),
                arguments(set("endpoint bad IPv4", s -> s.setEndpoint("10.0.0.256")), Reasons.INVALID_ENDPOINT, "spec.endpoint", "10.0.0.256"),
                arguments(set("dns bad entry", s -> s.setDns(List.of("10.24.0.1", "fd00:24::1::2"))), Reasons.INVALID_DNS, "spec.dns[1]", "fd00:24::1::2"),
                arguments(set("mtu too small", s -> s.setMtu(576)), Reasons.INVALID_MTU, "spec.mtu", "576"),
                arguments(set("keepalive too large", s -> s.setPersistentKeepalive(70000)), Reasons.INVALID_KEEPALIVE, "spec.persistentKeepalive", "70000"),
                arguments(set("node name and node selector", s -> s.setNodeSelector(Map.of("vpn", "true"))), Reasons.NODE_NOT_FOUND, "spec.nodeSelector", "set exactly one"),
                arguments(set("neither node name nor node selector", s -> s.setNodeName(null)), Reasons.NODE_NOT_FOUND, "spec.nodeName", "set exactly one"),
                arguments(set("blank node name", s -> s.setNodeName(" ")), Reasons.NODE_NOT_FOUND, "spec.nodeName", "no node can have"),
                // the schema's has() sees an empty name as set: the same verdict, though the message is about the name
                arguments(set("empty node name", s -> s.setNodeName("")), Reasons.NODE_NOT_FOUND, "spec.nodeName", "no node can have"));
    }

    @ParameterizedTest(name = "{0} → {1} on {2}")
    @MethodSource("invalidSpecs")
    void reportsOneProblemNamingFieldAndValue(Consumer<VpnInstanceSpec> change, String reason, String field, String inMessage) {
        VpnInstanceSpec spec = instance();
        change.accept(spec);
        assertThat(validator.validate(spec)).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(reason);
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(field).contains(inMessage);
        });
    }

    @Test
    void poolsAreTheParsedAddressesInOrder() {
        VpnInstanceSpec spec = instance();
        spec.setAddress(List.of("fd00:24::1/64", "10.24.0.1/24"));
        assertThat(validator.pools(spec)).extracting(AddressPool::network)
                .containsExactly(Cidr.parse("fd00:24::/64"), Cidr.parse("10.24.0.0/24"));
        spec.setAddress(null);
        assertThat(validator.pools(spec)).isEmpty();
    }
}
