package io.peerwarden.core.tenancy;

import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.validation.Problem;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a peer may attach to an instance, decided by the instance's {@code spec.peerNamespaces}
 * as a Gateway API listener's {@code allowedRoutes.namespaces} decides for routes: {@code Same}
 * (default) admits peers of the instance's own namespace, {@code All} every namespace,
 * {@code Selector} the namespaces whose labels match the selector. A peer in the instance's own
 * namespace is always admitted: whoever may create it there may also edit the instance's namespace.
 */
public final class PeerAttachment {

    static final String FIELD = "spec.instanceRef.namespace";

    private PeerAttachment() {
    }

    /** Empty when {@code peer} may attach to {@code instance}, else the NotAllowed problem naming the rule. */
    public static Optional<Problem> check(VpnInstance instance, VpnPeer peer, NamespaceLabels namespaces) {
        String instanceNamespace = instance.getMetadata().getNamespace();
        String peerNamespace = peer.getMetadata().getNamespace();
        if (instanceNamespace.equals(peerNamespace)) {
            return Optional.empty();
        }
        PeerNamespaces rule = instance.getSpec() == null ? null : instance.getSpec().getPeerNamespaces();
        String from = rule == null || rule.getFrom() == null ? PeerNamespaces.SAME : rule.getFrom();
        String name = "VpnInstance " + instanceNamespace + "/" + instance.getMetadata().getName();
        if (PeerNamespaces.ALL.equals(from)) {
            return Optional.empty();
        }
        if (PeerNamespaces.SELECTOR.equals(from)) {
            Optional<Map<String, String>> labels = namespaces.labelsOf(peerNamespace);
            if (labels.isPresent() && LabelSelectors.matches(rule.getSelector(), labels.get())) {
                return Optional.empty();
            }
            return Optional.of(new Problem(Reasons.NOT_ALLOWED, FIELD, name
                    + " allows peers only from namespaces matching its spec.peerNamespaces.selector (spec.peerNamespaces.from: Selector), and namespace "
                    + peerNamespace + (labels.isPresent() ? " does not match it" : " is not known to the operator")
                    + ": ask the instance's owner to label namespace " + peerNamespace
                    + " as the selector asks, or create the peer in " + instanceNamespace + "."));
        }
        return Optional.of(new Problem(Reasons.NOT_ALLOWED, FIELD, name
                + " allows peers only from its own namespace (spec.peerNamespaces.from: Same), and this peer is in "
                + peerNamespace + ": create the peer in " + instanceNamespace
                + ", or ask the instance's owner to allow other namespaces in spec.peerNamespaces."));
    }
}
