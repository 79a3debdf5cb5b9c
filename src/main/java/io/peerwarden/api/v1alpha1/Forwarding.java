package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** spec.forwarding of a VpnInstance: whether the node forwards traffic of the peers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class Forwarding {

    @JsonPropertyDescription("true (default): the node forwards packets from the peers (to other peers, site subnets and, with routeAll, the internet): the agent enables forwarding on the WireGuard interface. false: forwarded packets from the interface are dropped.")
    private Boolean enabled;

    @JsonPropertyDescription("true (default): client peers reach each other through the server. false: packets between two client peers' addresses are dropped (sites are not affected).")
    private Boolean clientToClient;

    public Forwarding() {
    }

    public Forwarding(Boolean enabled, Boolean clientToClient) {
        this.enabled = enabled;
        this.clientToClient = clientToClient;
    }

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Boolean getClientToClient() {
        return clientToClient;
    }

    public void setClientToClient(Boolean clientToClient) {
        this.clientToClient = clientToClient;
    }

    @JsonIgnore
    public boolean enabledOrDefault() {
        return enabled == null || enabled;
    }

    @JsonIgnore
    public boolean clientToClientOrDefault() {
        return clientToClient == null || clientToClient;
    }
}
