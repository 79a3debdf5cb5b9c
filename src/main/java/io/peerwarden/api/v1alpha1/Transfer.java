package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Cumulative traffic counters of a peer, carried over interface restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class Transfer {

    @JsonPropertyDescription("Bytes received from the peer, cumulative over interface restarts.")
    private Long receiveBytes;

    @JsonPropertyDescription("Bytes sent to the peer, cumulative over interface restarts.")
    private Long sentBytes;

    @JsonPropertyDescription("Receive counter as last read from the interface; a smaller reading means the interface restarted.")
    private Long interfaceReceiveBytes;

    @JsonPropertyDescription("Send counter as last read from the interface.")
    private Long interfaceSentBytes;

    public Long getReceiveBytes() {
        return receiveBytes;
    }

    public void setReceiveBytes(Long receiveBytes) {
        this.receiveBytes = receiveBytes;
    }

    public Long getSentBytes() {
        return sentBytes;
    }

    public void setSentBytes(Long sentBytes) {
        this.sentBytes = sentBytes;
    }

    public Long getInterfaceReceiveBytes() {
        return interfaceReceiveBytes;
    }

    public void setInterfaceReceiveBytes(Long interfaceReceiveBytes) {
        this.interfaceReceiveBytes = interfaceReceiveBytes;
    }

    public Long getInterfaceSentBytes() {
        return interfaceSentBytes;
    }

    public void setInterfaceSentBytes(Long interfaceSentBytes) {
        this.interfaceSentBytes = interfaceSentBytes;
    }

}
