package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Which namespaces' VpnPeers may attach to an instance, as a Gateway API listener's
 * {@code allowedRoutes.namespaces}: its own (default), all, or those whose labels a selector matches.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(self.from == 'Selector') == has(self.selector)",
        message = "spec.peerNamespaces.selector is required when from is Selector and not allowed otherwise")
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class PeerNamespaces {

    public static final String SAME = "Same";
    public static final String ALL = "All";
    public static final String SELECTOR = "Selector";

    @Default(SAME)
    @Pattern("^(Same|All|Selector)$")
    @JsonPropertyDescription("Same (default): only VpnPeers in the instance's own namespace. All: VpnPeers of every namespace. "
            + "Selector: VpnPeers of the namespaces whose labels match selector.")
    private String from = SAME;

    @JsonPropertyDescription("Namespace label selector (matchLabels, matchExpressions) when from is Selector.")
    private LabelSelector selector;

    public PeerNamespaces() {
    }

    public PeerNamespaces(String from, LabelSelector selector) {
        this.from = from;
        this.selector = selector;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }
}
