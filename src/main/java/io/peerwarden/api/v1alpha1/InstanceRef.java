package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Reference to the VpnInstance a peer belongs to. */
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceRef {

    @Required
    @Size(min = 1, max = Formats.MAX_NAME)
    @Pattern(Formats.OBJECT_NAME)
    @JsonPropertyDescription("Name of the VpnInstance.")
    private String name;

    @Size(min = 1, max = Formats.MAX_NAMESPACE)
    @Pattern(Formats.NAMESPACE_NAME)
    @JsonPropertyDescription("Namespace of the VpnInstance. Default: the peer's own namespace. Another namespace works only where the instance's spec.peerNamespaces allows this peer's namespace.")
    private String namespace;

    public InstanceRef() {
    }

    public InstanceRef(String name) {
        this.name = name;
    }

    public InstanceRef(String name, String namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** The instance's namespace: {@code namespace}, or the peer's own when it is not set. */
    public String namespaceOr(String peerNamespace) {
        return namespace == null || namespace.isBlank() ? peerNamespace : namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
