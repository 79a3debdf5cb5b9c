package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a peer: the operator writes validity, address and config; the node agent writes applied, connection and traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class VpnPeerStatus {

    @JsonPropertyDescription("Effective tunnel addresses of the peer (from spec or allocated).")
    private List<String> allowedIPs;

    @JsonPropertyDescription("The peer's public key.")
    private String publicKey;

    @JsonPropertyDescription("Secret holding the peer's rendered WireGuard config.")
    private String configSecretName;

    @JsonPropertyDescription("true when the latest handshake is recent (about 3 minutes).")
    private Boolean connected;

    @JsonPropertyDescription("Endpoint (ip:port) the peer last connected from.")
    private String connectedFrom;

    @JsonPropertyDescription("Time of the latest handshake (RFC 3339).")
    private String latestHandshake;

    @JsonPropertyDescription("Traffic counters.")
    private Transfer transfer;

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Valid, AddressAssigned, ConfigRendered, Applied, Connected and the summary Ready.")
    private List<Condition> conditions = new ArrayList<>();

    public List<String> getAllowedIPs() {
        return allowedIPs;
    }

    public void setAllowedIPs(List<String> allowedIPs) {
        this.allowedIPs = allowedIPs;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public String getConfigSecretName() {
        return configSecretName;
    }

    public void setConfigSecretName(String configSecretName) {
        this.configSecretName = configSecretName;
    }

    public Boolean getConnected() {
        return connected;
    }

    public void setConnected(Boolean connected) {
        this.connected = connected;
    }

    public String getConnectedFrom() {
        return connectedFrom;
    }

    public void setConnectedFrom(String connectedFrom) {
        this.connectedFrom = connectedFrom;
    }

    public String getLatestHandshake() {
        return latestHandshake;
    }

    public void setLatestHandshake(String latestHandshake) {
        this.latestHandshake = latestHandshake;
    }

    public Transfer getTransfer() {
        return transfer;
    }

    public void setTransfer(Transfer transfer) {
        this.transfer = transfer;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

}
