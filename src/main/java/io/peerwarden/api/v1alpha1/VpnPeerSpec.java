package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

/** Desired state of one WireGuard peer: a client (a user) or a site (site-to-site). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type == 'site' || !has(self.subnets)", message = "spec.subnets applies only to site peers: remove it or set spec.type to site")
@ValidationRule(value = "self.type == 'site' || !has(self.siteId)", message = "spec.siteId applies only to site peers: remove it or set spec.type to site")
@ValidationRule(value = "self.type == 'client' || !has(self.userId)", message = "spec.userId applies only to client peers: remove it or set spec.type to client")
@ValidationRule(value = "self.type == 'client' || !has(self.routeAll) || !self.routeAll", message = "spec.routeAll applies only to client peers: remove it or set spec.type to client")
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class VpnPeerSpec {

    @Required
    @ValidationRule(value = "self == oldSelf", message = "spec.instanceRef is immutable: create a new VpnPeer to move a peer to another instance")
    @JsonPropertyDescription("The VpnInstance this peer connects to: in the peer's namespace, or in instanceRef.namespace where that instance's spec.peerNamespaces admits the peer's namespace.")
    private InstanceRef instanceRef;

    @Default("client")
    @Pattern("^(client|site)$")
    @JsonPropertyDescription("client (a user device) or site (a network behind a router, site-to-site).")
    private String type = "client";

    @Size(max = Formats.MAX_TEXT)
    @ValidationRule(value = CelRules.SINGLE_LINE_TEXT, message = CelRules.SINGLE_LINE_TEXT_MESSAGE)
    @JsonPropertyDescription("Free-text name shown to people: one line, at most 253 characters.")
    private String displayName;

    @Size(max = Formats.MAX_TEXT)
    @ValidationRule(value = CelRules.SINGLE_LINE_TEXT, message = CelRules.SINGLE_LINE_TEXT_MESSAGE)
    @JsonPropertyDescription("Identifier of the user owning a client peer (client only): one line, at most 253 characters.")
    private String userId;

    @Size(max = Formats.MAX_TEXT)
    @ValidationRule(value = CelRules.SINGLE_LINE_TEXT, message = CelRules.SINGLE_LINE_TEXT_MESSAGE)
    @JsonPropertyDescription("Identifier of the site (site only): one line, at most 253 characters.")
    private String siteId;

    @Size(max = Formats.MAX_ALLOWED_IPS)
    @ValidationRule(value = CelRules.ALL_CIDRS, message = "Allowed IP format is incorrect: entries are CIDRs such as 10.24.0.2/32 or fd00:24::2/128")
    @JsonPropertyDescription("The peer's tunnel addresses (CIDR) inside the instance pool. Omitted: one address per pool family is allocated, recorded in status.allowedIPs and kept for the peer's lifetime.")
    private List<@Size(max = Formats.MAX_CIDR) String> allowedIPs;

    @Size(max = Formats.MAX_SUBNETS)
    @ValidationRule(value = CelRules.ALL_CIDRS, message = "Subnet format is incorrect: entries are CIDRs such as 192.168.10.0/24 or fd00:10::/64")
    @JsonPropertyDescription("Site only: networks behind the site (CIDR), routed to it through the tunnel.")
    private List<@Size(max = Formats.MAX_CIDR) String> subnets;

    @JsonPropertyDescription("Client only: the client config routes all traffic (0.0.0.0/0, ::/0) through the tunnel.")
    private Boolean routeAll;

    @Size(max = Formats.MAX_ENDPOINT_ALLOWED_IPS)
    @ValidationRule(value = CelRules.ALL_CIDRS, message = "Endpoint allowed IP format is incorrect: entries are CIDRs such as 10.24.0.0/24 or 0.0.0.0/0, one per entry")
    @JsonPropertyDescription("AllowedIPs written into the peer's own config (CIDR). Default: the instance networks, or everything with routeAll.")
    private List<@Size(max = Formats.MAX_CIDR) String> endpointAllowedIPs;

    @Size(max = Formats.MAX_DNS_ENTRIES)
    @ValidationRule(value = CelRules.ALL_DNS_ENTRIES, message = CelRules.ALL_DNS_ENTRIES_MESSAGE)
    @JsonPropertyDescription("DNS servers (IP addresses) and search domains for the peer's config; overrides the instance default.")
    private List<@Size(max = Formats.MAX_HOST) String> dns;

    @Min(Formats.MIN_MTU)
    @Max(Formats.MAX_MTU)
    @JsonPropertyDescription("MTU of the peer's config (1280-9000); overrides the instance default.")
    private Integer mtu;

    @Min(0)
    @Max(Formats.MAX_KEEPALIVE)
    @JsonPropertyDescription("PersistentKeepalive seconds (0-65535); overrides the instance default.")
    private Integer persistentKeepalive;

    @Size(max = Formats.MAX_HOST)
    @ValidationRule(value = CelRules.ENDPOINT, message = CelRules.ENDPOINT_MESSAGE)
    @JsonPropertyDescription("host:port where the server reaches this peer (site peers behind a fixed address); IPv6 as [addr]:port.")
    private String endpoint;

    @Pattern(Formats.WIREGUARD_KEY)
    @JsonPropertyDescription("Bring-your-own public key (32 bytes, base64): the operator never sees the private key and the rendered config leaves PrivateKey for you to fill in.")
    private String publicKey;

    @JsonPropertyDescription("Secret key holding the peer's private key (default key privateKey). Absent, with no publicKey: the operator generates one into the peer's config Secret.")
    private SecretKeyRef privateKeySecretRef;

    @JsonPropertyDescription("Preshared key: Generated (default), from a Secret, or None.")
    private PresharedKeySpec presharedKey;

    @Default("false")
    @JsonPropertyDescription("true: the peer stays declared and keeps its address and keys, but is removed from the server interface.")
    private Boolean restricted;

    @Default(Formats.WIREGUARD)
    @ValidationRule(value = CelRules.WIREGUARD_ONLY, message = CelRules.WIREGUARD_ONLY_MESSAGE)
    @JsonPropertyDescription("Tunnel protocol. Only wireguard is supported.")
    private String protocol = Formats.WIREGUARD;

    public InstanceRef getInstanceRef() {
        return instanceRef;
    }

    public void setInstanceRef(InstanceRef instanceRef) {
        this.instanceRef = instanceRef;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getSiteId() {
        return siteId;
    }

    public void setSiteId(String siteId) {
        this.siteId = siteId;
    }

    public List<String> getAllowedIPs() {
        return allowedIPs;
    }

    public void setAllowedIPs(List<String> allowedIPs) {
        this.allowedIPs = allowedIPs;
    }

    public List<String> getSubnets() {
        return subnets;
    }

    public void setSubnets(List<String> subnets) {
        this.subnets = subnets;
    }

    public Boolean getRouteAll() {
        return routeAll;
    }

    public void setRouteAll(Boolean routeAll) {
        this.routeAll = routeAll;
    }

    public List<String> getEndpointAllowedIPs() {
        return endpointAllowedIPs;
    }

    public void setEndpointAllowedIPs(List<String> endpointAllowedIPs) {
        this.endpointAllowedIPs = endpointAllowedIPs;
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

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public SecretKeyRef getPrivateKeySecretRef() {
        return privateKeySecretRef;
    }

    public void setPrivateKeySecretRef(SecretKeyRef privateKeySecretRef) {
        this.privateKeySecretRef = privateKeySecretRef;
    }

    public PresharedKeySpec getPresharedKey() {
        return presharedKey;
    }

    public void setPresharedKey(PresharedKeySpec presharedKey) {
        this.presharedKey = presharedKey;
    }

    public Boolean getRestricted() {
        return restricted;
    }

    public void setRestricted(Boolean restricted) {
        this.restricted = restricted;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    @JsonIgnore
    public boolean isSite() {
        return "site".equals(type);
    }

    /** The networks routed to this peer: its subnets when it is a site, none for a client. */
    public List<String> siteSubnets() {
        return isSite() && subnets != null ? subnets : List.of();
    }

    /** restricted, with the schema's default (false) applied: the API server defaults it, the mock does not. */
    public boolean restrictedOrDefault() {
        return Boolean.TRUE.equals(restricted);
    }

    @Size(max = Formats.MAX_ACCESS_RULES)
    @JsonPropertyDescription("Destinations this peer may reach through the server; everything else from its addresses is dropped on the node. Absent or empty: the instance's spec.access, and when that is empty too, no limit.")
    private List<AccessRule> access;

    public List<AccessRule> getAccess() {
        return access;
    }

    public void setAccess(List<AccessRule> access) {
        this.access = access;
    }
}
