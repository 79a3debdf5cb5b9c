package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** One destination a peer may reach through the server (spec.access of a peer, or of an instance as the default). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.ports) || size(self.ports) == 0 || !has(self.protocol) || self.protocol != 'icmp'",
        message = "ports apply to tcp, udp or any: remove ports or set protocol to tcp, udp or any")
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class AccessRule {

    public static final String ANY = "any";
    public static final String PROTOCOLS = "^(tcp|udp|icmp|any)$";
    public static final int MAX_PORTS = 32;

    @Required
    @Size(max = Formats.MAX_CIDR)
    @Pattern(Formats.CIDR)
    @JsonPropertyDescription("Destination network (CIDR) the peer may reach, e.g. 10.0.0.0/8 or fd00:10::/64; a bare address is one host. 0.0.0.0/0 and ::/0 allow everything of a family.")
    private String to;

    @Pattern(PROTOCOLS)
    @JsonPropertyDescription("tcp, udp, icmp (ICMP and ICMPv6) or any. Default: any.")
    private String protocol;

    @Size(max = MAX_PORTS)
    @JsonPropertyDescription("Destination ports (1-65535) for tcp, udp or any (both). Absent or empty: every port.")
    private List<@Min(Formats.MIN_PORT) @Max(Formats.MAX_PORT) Integer> ports;

    public AccessRule() {
    }

    public AccessRule(String to, String protocol, List<Integer> ports) {
        this.to = to;
        this.protocol = protocol;
        this.ports = ports;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public List<Integer> getPorts() {
        return ports;
    }

    public void setPorts(List<Integer> ports) {
        this.ports = ports;
    }

    /** The protocol, {@value #ANY} when absent. */
    public String protocolOrDefault() {
        return protocol == null ? ANY : protocol;
    }
}
