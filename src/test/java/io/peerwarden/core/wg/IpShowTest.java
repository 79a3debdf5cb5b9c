package io.peerwarden.core.wg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpShowTest {

    @Test
    void readsKindMtuStateAndAliasOfLinks() {
        String text = """
                [{"ifindex":5,"ifname":"wg-vpn","flags":["POINTOPOINT","NOARP","UP","LOWER_UP"],"mtu":1380,
                  "ifalias":"peerwarden:ns/vpn","linkinfo":{"info_kind":"wireguard"}},
                 {"ifindex":6,"ifname":"wg-go","flags":["POINTOPOINT","MULTICAST","NOARP"],"mtu":1420,
                  "linkinfo":{"info_kind":"tun","info_data":{"type":"tun"}}},
                 {"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536}]""";

        assertThat(IpShow.links(text)).containsExactly(
                new IpShow.Link("wg-vpn", "wireguard", 1380, true, "peerwarden:ns/vpn"),
                new IpShow.Link("wg-go", "tun", 1420, false, ""),
                new IpShow.Link("lo", "", 65536, true, ""));
        assertThat(IpShow.links(text)).extracting(IpShow.Link::implementation).containsExactly("kernel", "userspace", "userspace");
    }

    @Test
    void addressesLeaveOutLinkLocalOnes() {
        String text = """
                [{"ifname":"wg-vpn","addr_info":[
                  {"family":"inet","local":"10.24.0.1","prefixlen":24,"scope":"global"},
                  {"family":"inet6","local":"fd00:24::1","prefixlen":64,"scope":"global"},
                  {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]}]""";

        assertThat(IpShow.addresses(text)).containsExactly("10.24.0.1/24", "fd00:24::1/64");
    }

    @Test
    void routeDestinationsAndEmptyOutput() {
        assertThat(IpShow.routeDestinations("[{\"dst\":\"192.168.10.0/24\",\"dev\":\"wg-vpn\",\"protocol\":\"static\"}]"))
                .containsExactly("192.168.10.0/24");
        assertThat(IpShow.routeDestinations("\n")).isEmpty();
        assertThat(IpShow.links("")).isEmpty();
        assertThatThrownBy(() -> IpShow.addresses("Device \"x\" does not exist.")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ip -j");
    }

    @Test
    void routesWithDeviceAndProtocol() {
        assertThat(IpShow.routes("[{\"dst\":\"10.60.0.0/24\",\"dev\":\"eth0\",\"protocol\":\"boot\",\"scope\":\"link\"},"
                + "{\"type\":\"blackhole\",\"dst\":\"10.61.0.0/24\",\"flags\":[]}]"))
                .containsExactly(new IpShow.Route("10.60.0.0/24", "eth0", "boot"), new IpShow.Route("10.61.0.0/24", "", ""));
        assertThat(IpShow.routes("")).isEmpty();
    }

    @Test
    void outputThatIsNotJsonIsNotQuotedInTheError() {
        String key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        assertThatThrownBy(() -> IpShow.routes("garbage " + key)).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key).doesNotContain("garbage"));
    }
}
