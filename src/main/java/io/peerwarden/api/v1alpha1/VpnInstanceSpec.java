package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Desired state of a WireGuard server interface. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.nodeName) != has(self.nodeSelector)", message = "set exactly one of spec.nodeName or spec.nodeSelector to choose the node that runs the interface")
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class VpnInstanceSpec {

    @Default(Formats.WIREGUARD)
    @ValidationRule(value = CelRules.WIREGUARD_ONLY, message = CelRules.WIREGUARD_ONLY_MESSAGE)
    @JsonPropertyDescription("VPN protocol. Only wireguard is supported.")
    private String protocol = "wireguard";

    @Pattern(Formats.INTERFACE_NAME)
    @JsonPropertyDescription("Linux interface name: 1-15 characters of [a-zA-Z0-9_=+.-], not starting with '.' or '-', and starting with the install policy's prefix (policy.interfacePrefix, default pw). Default: the prefix, part of metadata.name and a short hash of namespace/name, e.g. pw-office-3fa1c.")
    private String interfaceName;

    @Required
    @Size(min = 1, max = 2)
    @ValidationRule(value = CelRules.ALL_CIDRS, message = "Address format is incorrect: each entry is the server's address with prefix, e.g. 10.24.0.1/24 or fd00:24::1/64")
    @ValidationRule(value = "self.size() < 2 || self[0].contains(':') != self[1].contains(':')",
            message = "at most one IPv4 and one IPv6 address")
    @JsonPropertyDescription("Server addresses with prefix, e.g. 10.24.0.1/24 and fd00:24::1/64. Each prefix is a pool that peer addresses are allocated from; at most one per address family.")
    private List<@Size(max = Formats.MAX_CIDR) String> address;

    @Min(Formats.MIN_PORT)
    @Max(Formats.MAX_PORT)
    @JsonPropertyDescription("UDP port the interface listens on. It must lie inside the install policy's range (policy.listenPorts,"
            + " default 51830-51929). Absent: the lowest port of that range free on the node, kept while the instance lives"
            + " (shown in status.listenPort).")
    private Integer listenPort;

    @Size(max = Formats.MAX_HOST)
    @ValidationRule(value = CelRules.ENDPOINT_PORT_OPTIONAL, message = CelRules.ENDPOINT_PORT_OPTIONAL_MESSAGE)
    @JsonPropertyDescription("host[:port] that clients dial: a host name, an IPv4 address or an [IPv6] address. The port defaults to listenPort.")
    private String endpoint;

    @Size(max = Formats.MAX_DNS_ENTRIES)
    @ValidationRule(value = CelRules.ALL_DNS_ENTRIES, message = CelRules.ALL_DNS_ENTRIES_MESSAGE)
    @JsonPropertyDescription("Default DNS servers (IP addresses) and search domains written into client configs.")
    private List<@Size(max = Formats.MAX_HOST) String> dns;

    @Min(Formats.MIN_MTU)
    @Max(Formats.MAX_MTU)
    @JsonPropertyDescription("Default MTU written into client configs (1280-9000).")
    private Integer mtu;

    @Min(0)
    @Max(Formats.MAX_KEEPALIVE)
    @JsonPropertyDescription("Default PersistentKeepalive seconds written into client configs (0 disables).")
    private Integer persistentKeepalive;

    @JsonPropertyDescription("Existing Secret key holding the server's private key (32 bytes, base64; default key privateKey). Absent: the operator generates a key once into a Secret of its own named <instance>-private-key.")
    private SecretKeyRef privateKeySecretRef;

    @Size(max = Formats.MAX_NAME)
    @Pattern(Formats.OBJECT_NAME)
    @JsonPropertyDescription("Node that runs the interface. Exactly one of nodeName and nodeSelector is set.")
    private String nodeName;

    @Size(max = Formats.MAX_NODE_SELECTOR)
    @ValidationRule(value = CelRules.LABEL_KEYS_BOUNDED, message = CelRules.LABEL_KEYS_BOUNDED_MESSAGE)
    @JsonPropertyDescription("Labels of the node that runs the interface (at most 16); the first matching node by name is chosen and kept while it matches.")
    private Map<String, @Size(max = Formats.MAX_LABEL_VALUE) String> nodeSelector;

    @JsonPropertyDescription("Which namespaces' VpnPeers may attach to this instance (spec.instanceRef.namespace on the peer): Same (default), All, or Selector with a namespace label selector. A peer from elsewhere is Valid=False, NotAllowed.")
    private PeerNamespaces peerNamespaces;

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public String getInterfaceName() {
        return interfaceName;
    }

    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    public List<String> getAddress() {
        return address;
    }

    public void setAddress(List<String> address) {
        this.address = address;
    }

    public Integer getListenPort() {
        return listenPort;
    }

    public void setListenPort(Integer listenPort) {
        this.listenPort = listenPort;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public List<String> getDns() {
        return dns;
    }

    public void setDns(List<String> dns) {
        this.dns = dns;
    }

    public Integer getMtu() {
        return mtu;
    }

    public void setMtu(Integer mtu) {
        this.mtu = mtu;
    }

    public Integer getPersistentKeepalive() {
        return persistentKeepalive;
    }

    public void setPersistentKeepalive(Integer persistentKeepalive) {
        this.persistentKeepalive = persistentKeepalive;
    }

    public SecretKeyRef getPrivateKeySecretRef() {
        return privateKeySecretRef;
    }

    public void setPrivateKeySecretRef(SecretKeyRef privateKeySecretRef) {
        this.privateKeySecretRef = privateKeySecretRef;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public PeerNamespaces getPeerNamespaces() {
        return peerNamespaces;
    }

    public void setPeerNamespaces(PeerNamespaces peerNamespaces) {
        this.peerNamespaces = peerNamespaces;
    }

    // ---- dataplane beyond peers: forwarding, NAT, access rules (applied by the node agent with nftables)

    @JsonPropertyDescription("Forwarding of the peers' traffic on the node. Default: enabled, client to client allowed.")
    private Forwarding forwarding;

    @JsonPropertyDescription("Masquerading of the peer pools for traffic leaving the node through another interface (routeAll clients reaching the internet). Default: off.")
    private Nat nat;

    @Size(max = Formats.MAX_ACCESS_RULES)
    @JsonPropertyDescription("Default access rules of the instance's peers: a peer without spec.access of its own may reach only these destinations through the server. Absent or empty: peers are not limited.")
    private List<AccessRule> access;

    public Forwarding getForwarding() {
        return forwarding;
    }

    public void setForwarding(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    public Nat getNat() {
        return nat;
    }

    public void setNat(Nat nat) {
        this.nat = nat;
    }

    public List<AccessRule> getAccess() {
        return access;
    }

    public void setAccess(List<AccessRule> access) {
        this.access = access;
    }
}
