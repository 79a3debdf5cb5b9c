package io.peerwarden.core.naming;

import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InterfaceNamesTest {

    @Test
    void officeInTwoNamespacesGetsTwoInterfaceNames() {
        String sales = InterfaceNames.derive("pw", "sales", "office");
        String support = InterfaceNames.derive("pw", "support", "office");

        assertThat(sales).isNotEqualTo(support);
        assertThat(sales).startsWith("pw-office-").hasSize(15);
        assertThat(support).startsWith("pw-office-");
    }

    @Test
    void theSameInstanceAlwaysGetsTheSameName() {
        assertThat(InterfaceNames.derive("pw", "sales", "office")).isEqualTo(InterfaceNames.derive("pw", "sales", "office"));
    }

    @Test
    void longNamesArePartlyKeptAndStillDiffer() {
        String a = InterfaceNames.derive("pw", "ns", "headquarters-east");
        String b = InterfaceNames.derive("pw", "ns", "headquarters-west");

        assertThat(a).isNotEqualTo(b).startsWith("pw-headqu").hasSize(15);
        assertThat(InterfaceNames.isValid(a)).isTrue();
    }

    @Test
    void aPrefixEndingInASeparatorGetsNoSecondOne() {
        assertThat(InterfaceNames.derive("wg-", "ns", "vpn")).startsWith("wg-vpn-");
        assertThat(InterfaceNames.derive("peerwrdn", "ns", "office")).startsWith("peerwrdn-").hasSize(14);
        assertThat(InterfaceNames.derive("pw1234", "ns", "office")).startsWith("pw1234-of-").hasSize(15);
    }

    @Test
    void anExplicitNameIsKeptAsWritten() {
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setInterfaceName("pw0");
        assertThat(InterfaceNames.of("pw", "ns", "office", spec)).isEqualTo("pw0");
        spec.setInterfaceName(null);
        assertThat(InterfaceNames.of("pw", "ns", "office", spec)).isEqualTo(InterfaceNames.derive("pw", "ns", "office"));
    }

    @Property(tries = 300)
    void everyDerivedNameIsAValidLinuxNameWithThePrefix(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 8) String prefix,
                                                        @ForAll @StringLength(min = 1, max = 63) @AlphaChars String namespace,
                                                        @ForAll @StringLength(min = 1, max = 253) @AlphaChars String name) {
        String derived = InterfaceNames.derive(prefix, namespace.toLowerCase(), name.toLowerCase());

        assertThat(derived.length()).isLessThanOrEqualTo(InterfaceNames.MAX_LENGTH);
        assertThat(derived).startsWith(prefix);
        assertThat(InterfaceNames.isValid(derived)).isTrue();
    }
}
