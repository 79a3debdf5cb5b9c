package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a WireGuard server interface. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class VpnInstanceStatus {

    @JsonPropertyDescription("The server's public key, for client configs.")
    private String publicKey;

    @JsonPropertyDescription("Node that runs the interface.")
    private String nodeName;

    @JsonPropertyDescription("host:port that clients dial: spec.endpoint, or when it is unset the node's ExternalIP, else"
            + " its InternalIP, with the listen port. Absent while none is known (Ready=False, EndpointUnknown).")
    private String endpoint;

    @JsonPropertyDescription("Interface name in use.")
    private String interfaceName;

    @JsonPropertyDescription("Listen port of the interface: spec.listenPort, or the one the operator chose from the install policy's range on the node (the agent applies it).")
    private Integer listenPort;

    @JsonPropertyDescription("How the node runs WireGuard: kernel or userspace (wireguard-go).")
    private String implementation;

    @JsonPropertyDescription("Peer counts.")
    private PeerCounts peers;

    @JsonPropertyDescription("Address pool usage, one entry per address family.")
    private List<PoolStatus> pool;

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Accepted, KeyReady and Applied.")
    private List<Condition> conditions = new ArrayList<>();

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getInterfaceName() {
        return interfaceName;
    }

    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    public Integer getListenPort() {
        return listenPort;
    }

    public void setListenPort(Integer listenPort) {
        this.listenPort = listenPort;
    }

    public String getImplementation() {
        return implementation;
    }

    public void setImplementation(String implementation) {
        this.implementation = implementation;
    }

    public PeerCounts getPeers() {
        return peers;
    }

    public void setPeers(PeerCounts peers) {
        this.peers = peers;
    }

    public List<PoolStatus> getPool() {
        return pool;
    }

    public void setPool(List<PoolStatus> pool) {
        this.pool = pool;
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
