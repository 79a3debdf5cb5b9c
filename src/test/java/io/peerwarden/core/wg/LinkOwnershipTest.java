package io.peerwarden.core.wg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's rule for which links are its own: owned prefix, its instance's alias, a WireGuard kind. */
class LinkOwnershipTest {

    private static final String OWNER = "peerwarden:team-a/office";
    private final LinkOwnership pw = new LinkOwnership("pw");

    private static IpShow.Link link(String name, String kind, String alias) {
        return new IpShow.Link(name, kind, 1420, true, alias);
    }

    @Test
    void aNameWithoutThePrefixIsNeverTouchedWhateverExists() {
        LinkOwnership.Verdict verdict = pw.judge("cni0", OWNER, null);
        assertThat(verdict.kind()).isEqualTo(LinkOwnership.Verdict.Kind.NAME_NOT_ALLOWED);
        assertThat(verdict.message()).contains("cni0", "pw", "spec.interfaceName");
        assertThat(pw.judge("wg-office", OWNER, link("wg-office", "wireguard", OWNER)).allowed()).isFalse();
    }

    @Test
    void aMissingLinkIsCreatedAndOurOwnIsManaged() {
        assertThat(pw.judge("pw-office", OWNER, null).kind()).isEqualTo(LinkOwnership.Verdict.Kind.CREATE);
        assertThat(pw.judge("pw-office", OWNER, link("pw-office", "wireguard", OWNER)).kind()).isEqualTo(LinkOwnership.Verdict.Kind.OWNED);
        assertThat(pw.judge("pw-office", OWNER, link("pw-office", "tun", OWNER)).kind()).isEqualTo(LinkOwnership.Verdict.Kind.OWNED);
    }

    @Test
    void aLinkOfAnotherKindAliasOrNoAliasIsInUse() {
        for (IpShow.Link foreign : new IpShow.Link[] {
                link("pw-office", "bridge", OWNER),
                link("pw-office", "", OWNER),
                link("pw-office", "wireguard", ""),
                link("pw-office", "tun", ""),
                link("pw-office", "wireguard", "cilium"),
                link("pw-office", "wireguard", "peerwarden:team-b/office")}) {
            LinkOwnership.Verdict verdict = pw.judge("pw-office", OWNER, foreign);
            assertThat(verdict.kind()).as(foreign.toString()).isEqualTo(LinkOwnership.Verdict.Kind.IN_USE);
            assertThat(verdict.message()).contains("pw-office", "leaves it exactly as it is");
        }
        assertThat(pw.judge("pw-office", OWNER, link("pw-office", "bridge", "")).message()).contains("kind bridge, no alias");
        assertThat(pw.judge("pw-office", OWNER, link("pw-office", "wireguard", "peerwarden:team-b/office")).message())
                .contains("kind wireguard, the interface of VpnInstance team-b/office");
    }

    @Test
    void onlyOurKindsWithOurAliasAndPrefixCountAsManaged() {
        assertThat(pw.isManaged(link("pw-a", "wireguard", "peerwarden:x/y"))).isTrue();
        assertThat(pw.isManaged(link("pw-a", "tun", "peerwarden:x/y"))).isTrue();
        assertThat(pw.isManaged(link("pw-a", "bridge", "peerwarden:x/y"))).isFalse();
        assertThat(pw.isManaged(link("cni0", "wireguard", "peerwarden:x/y"))).isFalse();
        assertThat(pw.isManaged(link("pw-a", "wireguard", "calico"))).isFalse();
    }

    @Test
    void aForeignAliasIsSanitizedInTheMessage() {
        String key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        String message = pw.judge("pw-a", OWNER, link("pw-a", "wireguard", "\u001B[31m" + key)).message();
        assertThat(message).doesNotContain(key).doesNotContain("\u001B").contains(ToolText.REDACTED);
    }

    @Test
    void thePrefixMustBeAUsableNameStart() {
        for (String bad : new String[] {"", "-x", ".x", "a b", "abcdefghijklmno", null}) {
            assertThatThrownBy(() -> new LinkOwnership(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new LinkOwnership("wg").nameAllowed("wg0")).isTrue();
    }
}
