package io.peerwarden.core.validation;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks both validators share: ranges, DNS entries, endpoints, protocol, CIDR lists. */
final class FieldChecks {

    static final String WIREGUARD = "wireguard";

    private FieldChecks() {
    }

    /** {@code value} (optional) must lie in [min, max]. */
    static Optional<Problem> range(String reason, String field, Integer value, int min, int max, String what) {
        if (value == null || value >= min && value <= max) {
            return Optional.empty();
        }
        return Optional.of(new Problem(reason, field,
                what + " is out of range: " + field + " is " + value + ", use a value from " + min + " to " + max + "."));
    }

    static void mtu(List<Problem> problems, Integer mtu) {
        range(Reasons.INVALID_MTU, "spec.mtu", mtu, 1280, 9000, "MTU").ifPresent(problems::add);
    }

    static void persistentKeepalive(List<Problem> problems, Integer seconds) {
        range(Reasons.INVALID_KEEPALIVE, "spec.persistentKeepalive", seconds, 0, 65535, "Persistent keepalive")
                .ifPresent(problems::add);
    }

    /** Absent means wireguard (the default); anything else is unsupported. */
    static void protocol(List<Problem> problems, String protocol) {
        if (protocol != null && !WIREGUARD.equals(protocol)) {
            problems.add(new Problem(Reasons.UNSUPPORTED_PROTOCOL, "spec.protocol",
                    "Protocol is not supported: spec.protocol is '" + protocol + "', only wireguard is supported (Peerwarden does not provide openvpn or other protocols)."));
        }
    }

    static void dns(List<Problem> problems, List<String> entries) {
        if (entries == null) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (!HostNames.isDnsEntry(entry)) {
                String field = "spec.dns[" + i + "]";
                problems.add(new Problem(Reasons.INVALID_DNS, field, "DNS format is incorrect: " + field + " is '" + entry
                        + "', use an IPv4 or IPv6 address (1.1.1.1, 2606:4700::1111) or a search domain (corp.example.com)."));
            }
        }
    }

    static void endpoint(List<Problem> problems, String endpoint, boolean portRequired) {
        if (endpoint == null || Endpoint.parse(endpoint, portRequired).isPresent()) {
            return;
        }
        String form = portRequired ? "host:port" : "host[:port]";
        problems.add(new Problem(Reasons.INVALID_ENDPOINT, "spec.endpoint", "Endpoint format is incorrect: spec.endpoint is '"
                + endpoint + "', use " + form + " with a host name, an IPv4 address or an [IPv6] address and a port from 1 to 65535"
                + " (vpn.example.com:51820, 203.0.113.7:51820, [2001:db8::7]:51820)."));
    }

    /** Parses a list of CIDRs; invalid entries become problems, valid ones are returned with their index. */
    static List<Indexed> cidrs(List<Problem> problems, List<String> texts, String fieldName, String reason, String what) {
        List<Indexed> parsed = new ArrayList<>();
        if (texts == null) {
            return parsed;
        }
        for (int i = 0; i < texts.size(); i++) {
            String field = fieldName + "[" + i + "]";
            try {
                parsed.add(new Indexed(i, field, Cidr.parse(texts.get(i))));
            } catch (InvalidCidrException e) {
                problems.add(new Problem(reason, field, what + " format is incorrect: " + field + " is '" + texts.get(i)
                        + "', use a CIDR such as 10.24.0.2/32 or fd00:24::2/128."));
            }
        }
        return parsed;
    }

    /** Entries that overlap an earlier entry of the same list (duplicates, or one inside another) become problems. */
    static void noOverlapWithinList(List<Problem> problems, List<Indexed> entries, String reason, String what) {
        for (int i = 0; i < entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                Indexed earlier = entries.get(j);
                Indexed later = entries.get(i);
                if (earlier.cidr().overlaps(later.cidr())) {
                    String how = earlier.cidr().network().equals(later.cidr().network()) ? "duplicates" : "overlaps";
                    problems.add(new Problem(reason, later.field(), what + " listed twice: " + later.field() + " " + later.cidr()
                            + " " + how + " " + earlier.field() + " " + earlier.cidr() + ", list each network once."));
                    break;
                }
            }
        }
    }

    /** A parsed list entry and where it came from. */
    record Indexed(int index, String field, Cidr cidr) {
    }
}
