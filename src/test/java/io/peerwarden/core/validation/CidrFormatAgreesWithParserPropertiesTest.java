package io.peerwarden.core.validation;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD's CIDR format ({@link Formats#CIDR}, checked by the API server) and the operator's CIDR
 * parser ({@link Cidr#parse}) accept the same texts: every way of writing an address the address
 * library prints is accepted by both, and of near misses (valid texts with characters inserted,
 * deleted or replaced) the format accepts exactly what the parser accepts, but for prefix lengths
 * with a leading zero ("/024"), which only the format refuses. So the API server never stores an
 * address the operator cannot read, and the validators, which check the format first, refuse "/024" too.
 */
class CidrFormatAgreesWithParserPropertiesTest {

    @Property(tries = 2000)
    void everyTextualFormOfAnAddressIsAcceptedByBoth(@ForAll("addressesInEveryForm") String text) {
        assertThat(Formats.matches(Formats.CIDR, text)).as("format accepts %s", text).isTrue();
        assertThat(parses(text)).as("parser accepts %s", text).isTrue();
    }

    @Property(tries = 20000)
    void onNearMissesTheFormatAndTheParserAgree(@ForAll("nearMisses") String text) {
        boolean format = Formats.matches(Formats.CIDR, text);
        if (format) {
            assertThat(parses(text)).as("parser accepts %s", text).isTrue();
        } else if (parses(text)) {
            // the parser's one leniency (Cidr's comment says why), which the validators' format check closes
            assertThat(text).as("the format refuses %s, which the parser accepts", text).matches(".*/0[0-9]+");
        }
    }

    @Provide
    Arbitrary<String> addressesInEveryForm() {
        Arbitrary<IPAddress> v4 = Arbitraries.integers().map(i -> new IPv4Address(i));
        Arbitrary<IPAddress> v6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.integers().between(0, 7)).as((bytes, zeros) -> {
            // runs of zero groups, so the compressed forms ("::") come up
            for (int i = 0; i < zeros * 2; i++) {
                bytes[i] = 0;
            }
            return new IPv6Address(bytes);
        });
        Arbitrary<String> v4Texts = Combinators.combine(v4, Arbitraries.integers().between(-1, 32))
                .as((a, prefix) -> a.toCanonicalString() + (prefix < 0 ? "" : "/" + prefix));
        Arbitrary<String> v6Texts = Combinators.combine(v6, Arbitraries.integers().between(-1, 128), Arbitraries.integers().between(0, 5))
                .as((a, prefix, form) -> forms((IPv6Address) a).get(form) + (prefix < 0 ? "" : "/" + prefix));
        return Arbitraries.oneOf(v4Texts, v6Texts);
    }

    private static List<String> forms(IPv6Address a) {
        return Stream.of(a.toCanonicalString(), a.toFullString(), a.toCompressedString(), a.toMixedString(),
                a.toNormalizedString(), a.toCanonicalString().toUpperCase()).toList();
    }

    /** Valid texts with one or two characters inserted, deleted or replaced by ones that occur in addresses. */
    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '9', 'a', 'f', 'F', 'g', ':', '.', '/', '%', ' ', '-');
        Arbitrary<String> once = Combinators.combine(addressesInEveryForm(), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 60), chars).as(CidrFormatAgreesWithParserPropertiesTest::mutate);
        return Combinators.combine(once, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 60), chars)
                .as(CidrFormatAgreesWithParserPropertiesTest::mutate);
    }

    private static String mutate(String text, int how, int where, char c) {
        int at = Math.min(where, text.length());
        return switch (how) {
            case 0 -> text.substring(0, at) + c + text.substring(at);
            case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
            default -> at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
        };
    }

    private static boolean parses(String text) {
        try {
            Cidr.parse(text);
            return true;
        } catch (InvalidCidrException e) {
            return false;
        }
    }
}
