package io.peerwarden.core.validation;

import io.peerwarden.api.v1alpha1.AccessRule;
import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;

import java.util.List;

/**
 * Checks spec.access (of a peer, or of an instance as its peers' default): the Java side of the schema's rules on
 * {@link AccessRule}, giving the same verdict with a message that names the field.
 */
final class AccessRuleChecks {

    private static final java.util.regex.Pattern PROTOCOLS = java.util.regex.Pattern.compile(AccessRule.PROTOCOLS);

    private AccessRuleChecks() {
    }

    static void check(List<Problem> problems, List<AccessRule> rules) {
        if (rules == null) {
            return;
        }
        if (rules.size() > Formats.MAX_ACCESS_RULES) {
            problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, "spec.access", "Too many access rules: spec.access has "
                    + rules.size() + " entries, use at most " + Formats.MAX_ACCESS_RULES + " (a rule's 'to' may be a wider network)."));
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            String field = "spec.access[" + i + "]";
            AccessRule rule = rules.get(i);
            if (rule == null || rule.getTo() == null) {
                problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".to", "Access rule is incomplete: " + field
                        + ".to is missing; give the destination network, e.g. to: 10.0.0.0/8."));
                continue;
            }
            String to = rule.getTo();
            if (!FieldChecks.fits(to, Formats.MAX_CIDR) || !Formats.matches(Formats.CIDR, to) || !parses(to)) {
                problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".to", "Access rule destination format is incorrect: "
                        + field + ".to is " + FieldChecks.quote(to) + ", use a CIDR such as 10.0.0.0/8 or fd00:10::/64, or one address."));
            }
            String protocol = rule.getProtocol();
            if (protocol != null && !PROTOCOLS.matcher(protocol).matches()) {
                problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".protocol", "Access rule protocol is incorrect: "
                        + field + ".protocol is " + FieldChecks.quote(protocol) + ", use tcp, udp, icmp or any."));
            }
            List<Integer> ports = rule.getPorts();
            if (ports == null || ports.isEmpty()) {
                continue;
            }
            if (ports.size() > AccessRule.MAX_PORTS) {
                problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".ports", "Too many ports: " + field + ".ports has "
                        + ports.size() + " entries, use at most " + AccessRule.MAX_PORTS + " (split the rule)."));
            }
            for (int j = 0; j < ports.size(); j++) {
                Integer port = ports.get(j);
                if (port == null || port < Formats.MIN_PORT || port > Formats.MAX_PORT) {
                    problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".ports[" + j + "]", "Access rule port is incorrect: "
                            + field + ".ports[" + j + "] is " + port + ", use a port from 1 to 65535."));
                }
            }
            if ("icmp".equals(protocol)) {
                problems.add(new Problem(Reasons.INVALID_ACCESS_RULE, field + ".ports", "Ports do not apply to icmp: " + field
                        + ".ports is set and " + field + ".protocol is icmp; remove ports or set protocol to tcp, udp or any."));
            }
        }
    }

    private static boolean parses(String text) {
        try {
            Cidr.parse(text);
            return true;
        } catch (InvalidCidrException e) {
            return false;
        }
    }
}
