package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Peer counts of an instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class PeerCounts {

    @JsonPropertyDescription("Peers referencing the instance.")
    private Integer total;

    @JsonPropertyDescription("Peers whose Ready condition is True.")
    private Integer ready;

    @JsonPropertyDescription("Peers with a recent handshake.")
    private Integer connected;

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getReady() {
        return ready;
    }

    public void setReady(Integer ready) {
        this.ready = ready;
    }

    public Integer getConnected() {
        return connected;
    }

    public void setConnected(Integer connected) {
        this.connected = connected;
    }

}
