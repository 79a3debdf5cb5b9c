package io.peerwarden.core.tenancy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.validation.Problem;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which namespaces' peers an instance admits (spec.peerNamespaces), as Gateway API listeners admit routes. */
class PeerAttachmentTest {

    private static final NamespaceLabels LABELS = ns -> switch (ns) {
        case "team-b" -> Optional.of(Map.of("vpn", "office", "team", "b"));
        case "team-c" -> Optional.of(Map.of("team", "c"));
        case "bare" -> Optional.of(Map.of());
        default -> Optional.empty();
    };

    private static VpnInstance instance(PeerNamespaces rule) {
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("office").build());
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setPeerNamespaces(rule);
        instance.setSpec(spec);
        return instance;
    }

    private static VpnPeer peerIn(String namespace) {
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("laptop").build());
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("office", "team-a"));
        peer.setSpec(spec);
        return peer;
    }

    private static Optional<Problem> check(PeerNamespaces rule, String peerNamespace) {
        return PeerAttachment.check(instance(rule), peerIn(peerNamespace), LABELS);
    }

    private static PeerNamespaces selector(LabelSelector selector) {
        return new PeerNamespaces(PeerNamespaces.SELECTOR, selector);
    }

    @Test
    void byDefaultOnlyPeersOfTheInstancesOwnNamespaceAttach() {
        assertThat(check(null, "team-a")).isEmpty();
        Problem problem = check(null, "team-b").orElseThrow();
        assertThat(problem.reason()).isEqualTo(Reasons.NOT_ALLOWED);
        assertThat(problem.field()).isEqualTo("spec.instanceRef.namespace");
        assertThat(problem.message()).startsWith("VpnInstance team-a/office allows peers only from its own namespace"
                + " (spec.peerNamespaces.from: Same)").contains("team-b");
    }

    @Test
    void sameIsTheDefaultWrittenOut() {
        assertThat(check(new PeerNamespaces(PeerNamespaces.SAME, null), "team-b")).isPresent();
        assertThat(check(new PeerNamespaces(), "team-b")).isPresent();
    }

    @Test
    void allAdmitsEveryNamespaceEvenOneTheOperatorDoesNotKnow() {
        PeerNamespaces all = new PeerNamespaces(PeerNamespaces.ALL, null);
        assertThat(check(all, "team-b")).isEmpty();
        assertThat(check(all, "unknown")).isEmpty();
    }

    @Test
    void selectorAdmitsTheNamespacesWhoseLabelsMatch() {
        PeerNamespaces office = selector(new LabelSelectorBuilder().addToMatchLabels("vpn", "office").build());

        assertThat(check(office, "team-b")).isEmpty();
        Problem problem = check(office, "team-c").orElseThrow();
        assertThat(problem.reason()).isEqualTo(Reasons.NOT_ALLOWED);
        assertThat(problem.message()).contains("VpnInstance team-a/office allows peers only from namespaces matching its"
                + " spec.peerNamespaces.selector (spec.peerNamespaces.from: Selector)").contains("team-c does not match");
    }

    @Test
    void theInstancesOwnNamespaceIsAdmittedWhateverTheSelector() {
        PeerNamespaces office = selector(new LabelSelectorBuilder().addToMatchLabels("vpn", "office").build());
        assertThat(check(office, "team-a")).isEmpty();
    }

    @Test
    void aNamespaceWhoseLabelsAreUnknownIsNotAdmittedByASelectorAndTheMessageSaysSo() {
        PeerNamespaces any = selector(new LabelSelector());
        assertThat(check(any, "bare")).as("an empty selector matches every known namespace").isEmpty();
        assertThat(check(any, "unknown").orElseThrow().message()).contains("unknown is not known to the operator");
    }

    @Test
    void matchExpressionsFollowKubernetesSemantics() {
        assertThat(matches("In", "team", "b", "c")).containsExactly("team-b", "team-c");
        assertThat(matches("NotIn", "team", "b")).containsExactly("team-c", "bare");
        assertThat(matches("Exists", "vpn")).containsExactly("team-b");
        assertThat(matches("DoesNotExist", "vpn")).containsExactly("team-c", "bare");
        assertThat(matches("In", "team")).as("In without values matches nothing").isEmpty();
        assertThat(matches("Exists", "vpn", "office")).as("Exists with values is malformed: nothing").isEmpty();
        assertThat(matches("Like", "team", "b")).as("an unknown operator matches nothing").isEmpty();
    }

    @Test
    void matchLabelsAndMatchExpressionsMustAllHold() {
        LabelSelector both = new LabelSelectorBuilder().addToMatchLabels("vpn", "office")
                .addNewMatchExpression().withKey("team").withOperator("In").withValues("c").endMatchExpression().build();
        assertThat(check(selector(both), "team-b")).isPresent();
        assertThat(check(selector(both), "team-c")).isPresent();
    }

    private static java.util.List<String> matches(String operator, String key, String... values) {
        LabelSelector selector = new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
        return java.util.stream.Stream.of("team-b", "team-c", "bare")
                .filter(ns -> check(selector(selector), ns).isEmpty()).toList();
    }
}
