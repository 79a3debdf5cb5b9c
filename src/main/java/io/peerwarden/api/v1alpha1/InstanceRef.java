package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Reference to the VpnInstance a peer belongs to. */
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class InstanceRef {

    @Required
    @Size(min = 1, max = Formats.MAX_NAME)
    @Pattern(Formats.OBJECT_NAME)
    @JsonPropertyDescription("Name of the VpnInstance in the same namespace.")
    private String name;

    public InstanceRef() {
    }

    public InstanceRef(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
