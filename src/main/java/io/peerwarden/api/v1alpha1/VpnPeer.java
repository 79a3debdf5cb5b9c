package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One WireGuard peer of a VpnInstance: a client or a site. */
@JsonClassDescription("A WireGuard peer of a VpnInstance: a client (a user's device) or a site (a network behind a router). Its status says whether it is valid, has an address and a rendered config, is applied on the server interface and connected.")
@Group(VpnInstance.GROUP)
@Version(VpnInstance.VERSION)
@ShortNames({"vpnp", "vpnpeer"})
@AdditionalPrinterColumn(name = "Type", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Instance", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.instanceRef.name")
@AdditionalPrinterColumn(name = "Address", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.allowedIPs[*]")
@AdditionalPrinterColumn(name = "Connected", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".status.connected")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1, jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class VpnPeer extends CustomResource<VpnPeerSpec, VpnPeerStatus> implements Namespaced {

    // overridden for the descriptions alone: the CRD generator takes them from the property, and
    // `kubectl explain <kind>.spec` / `.status` shows them

    @Override
    @JsonPropertyDescription("Desired state of the peer: which instance it connects to, its type, addresses, keys and client config settings.")
    public VpnPeerSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the peer: the operator writes validity, address and config; the node agent writes applied, connection and traffic.")
    public VpnPeerStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected VpnPeerStatus initStatus() {
        return new VpnPeerStatus();
    }
}
