package io.peerwarden.core.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
            "vpn.example.com:51820, vpn.example.com, 51820",
            "vpn.example.com, vpn.example.com, ",
            "192.0.2.1:443, 192.0.2.1, 443",
            "[fd00::1]:51820, fd00::1, 51820",
            "[fd00::1], fd00::1, ",
            "fd00::1, fd00::1, ",
    })
    void readsHostAndPort(String text, String host, Integer port) {
        assertThat(Endpoint.parse(text)).contains(new Endpoint(host, port));
    }

    @Test
    void nothingToReadInBlankText() {
        assertThat(Endpoint.parse(null)).isEmpty();
        assertThat(Endpoint.parse("  ")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "vpn.example.com, vpn.example.com:51820",
            "vpn.example.com:443, vpn.example.com:443",
            "[fd00::1], [fd00::1]:51820",
            "192.0.2.1, 192.0.2.1:51820",
    })
    void theListenPortIsTheDefaultPort(String text, String dialled) {
        assertThat(Endpoint.parse(text).orElseThrow().withDefaultPort(51820)).hasToString(dialled);
    }

    @ParameterizedTest
    @CsvSource({
            "[FD00:0:0::1]:51820, [fd00::1]:51820, true",
            "192.0.2.1:51820, 192.0.2.1:51820, true",
            "Vpn.Example.com:51820, Vpn.Example.com:51820, false",
    })
    void ipHostsCompareInTheFormWgShowPrints(String text, String canonical, boolean literal) {
        Endpoint endpoint = Endpoint.parse(text).orElseThrow();
        assertThat(endpoint.canonical()).isEqualTo(canonical);
        assertThat(endpoint.isIpLiteral()).isEqualTo(literal);
    }
}
