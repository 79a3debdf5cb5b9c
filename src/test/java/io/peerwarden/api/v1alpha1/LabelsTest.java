package io.peerwarden.api.v1alpha1;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LabelsTest {

    /** Kubernetes' label value and DNS subdomain rules (apimachinery validation). */
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private static boolean isDnsSubdomain(String name) {
        if (name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shortNamesAreTheirOwnLabelValueAndSecretNamePrefix() {
        assertThat(Labels.labelValue("alice")).isEqualTo("alice");
        assertThat(Labels.peerConfigSecretName("alice")).isEqualTo("alice-wireguard");
        assertThat(Labels.instanceKeySecretName("office")).isEqualTo("office-private-key");
    }

    @Test
    void aNameLongerThanALabelValueIsShortenedToAValidUniqueValue() {
        String a = "a".repeat(62) + ".b" + "x".repeat(30);
        String b = "a".repeat(62) + ".b" + "y".repeat(30);
        assertThat(Labels.labelValue(a)).hasSize(63).matches(LABEL_VALUE).startsWith("a".repeat(40))
                .isNotEqualTo(Labels.labelValue(b)).isEqualTo(Labels.labelValue(a));
    }

    @Test
    void secretNamesOfTheLongestResourceNamesStayValidDnsSubdomains() {
        String label = "p".repeat(63);
        String longest = label + "." + label + "." + label + "." + "p".repeat(61);
        // cut right after a dot: the shortened start must not end in "." or "-"
        String dotAtCut = "q".repeat(231) + "." + "q".repeat(21);
        for (String name : new String[] {longest, dotAtCut}) {
            assertThat(isDnsSubdomain(name)).isTrue();
            assertThat(Labels.peerConfigSecretName(name)).satisfies(n -> assertThat(isDnsSubdomain(n)).as(n).isTrue())
                    .endsWith("-wireguard");
            assertThat(Labels.instanceKeySecretName(name)).satisfies(n -> assertThat(isDnsSubdomain(n)).as(n).isTrue())
                    .endsWith("-private-key");
            assertThat(Labels.boundedName(name, ".1234567890abc")).satisfies(n -> assertThat(isDnsSubdomain(n)).as(n).isTrue());
        }
        assertThat(Labels.peerConfigSecretName(longest)).isNotEqualTo(Labels.peerConfigSecretName(longest.replaceFirst("p$", "q")));
    }
}
