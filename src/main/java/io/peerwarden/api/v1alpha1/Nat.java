package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** spec.nat of a VpnInstance: masquerading of the peer pools. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class Nat {

    @JsonPropertyDescription("true: traffic from the instance's pools (spec.address, IPv4 and IPv6) that leaves the node through another interface than the WireGuard one is masqueraded to that interface's address, so routeAll clients reach the internet with the node's address. Default false.")
    private Boolean enabled;

    public Nat() {
    }

    public Nat(Boolean enabled) {
        this.enabled = enabled;
    }

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    @JsonIgnore
    public boolean enabledOrDefault() {
        return enabled != null && enabled;
    }
}
