package io.peerwarden.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @ParameterizedTest(name = "{0} → host {1} port {2}")
    @CsvSource({
            "vpn.example.com:51820, vpn.example.com, 51820",
            "203.0.113.7:1, 203.0.113.7, 1",
            "[2001:db8::7]:65535, 2001:db8::7, 65535",
            "localhost:8080, localhost, 8080",
            "xn--bcher-kva.example:51820, xn--bcher-kva.example, 51820",
    })
    void parsesHostAndPort(String text, String host, int port) {
        assertThat(Endpoint.parse(text, true)).contains(new Endpoint(host, OptionalInt.of(port)));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"vpn.example.com", "vpn.example.com:", "vpn.example.com:0", "vpn.example.com:051820", "vpn.example.com:+80",
            "vpn.example.com:65536", "2001:db8::7", "[2001:db8::7]", "[2001:db8::7]51820", "[2001:db8::7:51820", "[10.0.0.1]:1",
            "[fe80::1%eth0]:1", "10.0.0.300:1", "1.2.3:1", "under_score.example.com:1", "-bad.example.com:1", "bad-.example.com:1",
            "a..b:1", ":51820", "", " vpn.example.com:1"})
    void rejectsMalformedEndpointsWhenThePortIsRequired(String text) {
        assertThat(Endpoint.parse(text, true)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" without port")
    @ValueSource(strings = {"vpn.example.com", "[2001:db8::7]", "203.0.113.7"})
    void portIsOptionalWhenNotRequired(String text) {
        assertThat(Endpoint.parse(text, false)).get().extracting(Endpoint::port).isEqualTo(OptionalInt.empty());
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"[2001:db8::7]:51820, [2001:db8::7]:51820", "vpn.example.com, vpn.example.com"})
    void printsIPv6InBrackets(String text, String printed) {
        assertThat(Endpoint.parse(text, false)).get().hasToString(printed);
    }
}
