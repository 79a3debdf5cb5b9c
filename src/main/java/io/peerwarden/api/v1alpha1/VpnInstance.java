package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A WireGuard server interface on a node. */
@JsonClassDescription("A WireGuard server interface on one node. Its address prefixes are the pools its VpnPeers get addresses from; its status shows the public key clients need, the node and the pools.")
@Group(VpnInstance.GROUP)
@Version(VpnInstance.VERSION)
@ShortNames({"vpni", "vpninstance"})
@AdditionalPrinterColumn(name = "Node", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.nodeName")
@AdditionalPrinterColumn(name = "Port", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.listenPort")
@AdditionalPrinterColumn(name = "Peers", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.peers.total")
@AdditionalPrinterColumn(name = "Connected", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.peers.connected")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class VpnInstance extends CustomResource<VpnInstanceSpec, VpnInstanceStatus> implements Namespaced {

    public static final String GROUP = "vpn.peerwarden.io";
    public static final String VERSION = "v1alpha1";

    // overridden for the descriptions alone: the CRD generator takes them from the property, and
    // `kubectl explain <kind>.spec` / `.status` shows them

    @Override
    @JsonPropertyDescription("Desired state of the WireGuard server interface: node, addresses (the peer pools), port, endpoint and client config defaults.")
    public VpnInstanceSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the interface: public key, node, pools, peer counts and conditions.")
    public VpnInstanceStatus getStatus() {
        return super.getStatus();
    }

    /** The node the instance runs on: the one its status records once placed, else the one its spec names. */
    public String scheduledNode() {
        if (getStatus() != null && getStatus().getNodeName() != null) {
            return getStatus().getNodeName();
        }
        return getSpec() == null ? null : getSpec().getNodeName();
    }

    @Override
    protected VpnInstanceStatus initStatus() {
        return new VpnInstanceStatus();
    }
}
