package io.peerwarden.core.validation;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.PeerNamespaces;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.naming.InterfaceNames;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.InvalidCidrException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks a {@link VpnInstanceSpec} and parses its address pools. */
public final class InstanceSpecValidator {

    /** The problems of {@code spec}, empty when it is valid. */
    public List<Problem> validate(VpnInstanceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<Problem> problems = new ArrayList<>();
        FieldChecks.protocol(problems, spec.getProtocol());
        if (spec.getInterfaceName() != null && !InterfaceNames.isValid(spec.getInterfaceName())) {
            problems.add(new Problem(Reasons.INVALID_INTERFACE_NAME, "spec.interfaceName", "Interface name is incorrect: "
                    + "spec.interfaceName is " + FieldChecks.quote(spec.getInterfaceName()) + ", use 1 to 15 characters of letters,"
                    + " digits and _=+.-, not starting with '.' or '-', or remove it to derive one from the instance name."));
        }
        addresses(problems, spec.getAddress());
        FieldChecks.range(Reasons.INVALID_LISTEN_PORT, "spec.listenPort", spec.getListenPort(), Formats.MIN_PORT, Formats.MAX_PORT,
                        "Listen port")
                .ifPresent(problems::add);
        FieldChecks.endpoint(problems, spec.getEndpoint(), false);
        FieldChecks.dns(problems, spec.getDns());
        FieldChecks.mtu(problems, spec.getMtu());
        FieldChecks.persistentKeepalive(problems, spec.getPersistentKeepalive());
        FieldChecks.secretRef(problems, spec.getPrivateKeySecretRef(), "spec.privateKeySecretRef");
        node(problems, spec);
        peerNamespaces(problems, spec.getPeerNamespaces());
        AccessRuleChecks.check(problems, spec.getAccess());
        return List.copyOf(problems);
    }

    /** from is Same, All or Selector; a selector exactly with Selector (as the schema's rule). */
    private static void peerNamespaces(List<Problem> problems, PeerNamespaces peerNamespaces) {
        if (peerNamespaces == null) {
            return;
        }
        String from = peerNamespaces.getFrom();
        if (from == null || !List.of(PeerNamespaces.SAME, PeerNamespaces.ALL, PeerNamespaces.SELECTOR).contains(from)) {
            problems.add(new Problem(Reasons.INVALID_PEER_NAMESPACES, "spec.peerNamespaces.from", "spec.peerNamespaces.from is "
                    + (from == null ? "missing" : FieldChecks.quote(from)) + ": use Same, All or Selector."));
            return;
        }
        boolean selector = PeerNamespaces.SELECTOR.equals(from);
        if (selector != (peerNamespaces.getSelector() != null)) {
            problems.add(new Problem(Reasons.INVALID_PEER_NAMESPACES, "spec.peerNamespaces.selector", selector
                    ? "spec.peerNamespaces.from is Selector but spec.peerNamespaces.selector is missing: add the namespace label selector."
                    : "spec.peerNamespaces.selector is set but spec.peerNamespaces.from is " + from
                    + ": set from to Selector to use it, or remove the selector."));
        }
    }

    /** Exactly one of nodeName and nodeSelector; an empty nodeName is set (as the schema's has() sees it) and names no node. */
    private static void node(List<Problem> problems, VpnInstanceSpec spec) {
        boolean hasName = spec.getNodeName() != null;
        boolean hasSelector = spec.getNodeSelector() != null;
        if (hasName && !FieldChecks.isObjectName(spec.getNodeName())) {
            problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeName", "Node name is incorrect: spec.nodeName is "
                    + FieldChecks.quote(spec.getNodeName()) + ", which no node can have: use the node's name (lower-case letters,"
                    + " digits, '-' and '.') or spec.nodeSelector."));
        }
        if (hasSelector) {
            nodeSelector(problems, spec.getNodeSelector());
        }
        if (hasName == hasSelector) {
            String field = hasName ? "spec.nodeSelector" : "spec.nodeName";
            problems.add(new Problem(Reasons.NODE_NOT_FOUND, field, (hasName
                    ? "Both spec.nodeName and spec.nodeSelector are set"
                    : "Neither spec.nodeName nor spec.nodeSelector is set")
                    + ": set exactly one of them to choose the node that runs the interface."));
        }
    }

    /** At most {@link Formats#MAX_NODE_SELECTOR} labels, with keys and values of label length (the schema's bounds). */
    private static void nodeSelector(List<Problem> problems, Map<String, String> selector) {
        if (selector.size() > Formats.MAX_NODE_SELECTOR) {
            problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeSelector", "Too many node labels: spec.nodeSelector has "
                    + selector.size() + " labels, use at most " + Formats.MAX_NODE_SELECTOR + "."));
            return;
        }
        for (Map.Entry<String, String> label : selector.entrySet()) {
            if (!FieldChecks.fits(label.getKey(), Formats.MAX_LABEL_KEY)) {
                problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeSelector", "Node label key is too long: spec.nodeSelector has"
                        + " the key " + FieldChecks.quote(label.getKey()) + ", label keys are at most " + Formats.MAX_LABEL_KEY + " characters."));
            } else if (label.getValue() != null && !FieldChecks.fits(label.getValue(), Formats.MAX_LABEL_VALUE)) {
                String field = "spec.nodeSelector[" + label.getKey() + "]";
                problems.add(new Problem(Reasons.NODE_NOT_FOUND, field, "Node label value is too long: " + field + " is "
                        + FieldChecks.quote(label.getValue()) + ", label values are at most " + Formats.MAX_LABEL_VALUE + " characters."));
            }
        }
    }

    /**
     * The address pools of {@code spec}, in the order written. Entries that do not parse are
     * skipped: call it on a spec {@link #validate} accepted.
     */
    public List<AddressPool> pools(VpnInstanceSpec spec) {
        List<AddressPool> pools = new ArrayList<>();
        if (spec.getAddress() != null) {
            for (String text : spec.getAddress()) {
                try {
                    pools.add(AddressPool.of(text));
                } catch (InvalidCidrException e) {
                    // reported by validate
                }
            }
        }
        return List.copyOf(pools);
    }

    private static void addresses(List<Problem> problems, List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            problems.add(new Problem(Reasons.INVALID_ADDRESS, "spec.address", "Address is missing: spec.address needs at least one "
                    + "server address with prefix, at most one per family, e.g. 10.24.0.1/24 and fd00:24::1/64."));
            return;
        }
        List<AddressPool> seen = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String field = "spec.address[" + i + "]";
            String text = texts.get(i);
            String wrong = null;
            AddressPool pool = null;
            if (!FieldChecks.fits(text, Formats.MAX_CIDR) || !Formats.matches(Formats.CIDR, text)) {
                wrong = "is " + FieldChecks.quote(text) + ", not a valid IPv4 or IPv6 CIDR";
            } else {
                try {
                    pool = AddressPool.of(text);
                } catch (InvalidCidrException e) {
                    wrong = e.getMessage();
                }
            }
            if (pool == null) {
                problems.add(new Problem(Reasons.INVALID_ADDRESS, field, "Address format is incorrect: " + field + " "
                        + wrong + "; use the server's address with prefix, e.g. 10.24.0.1/24 or fd00:24::1/64."));
                continue;
            }
            for (AddressPool earlier : seen) {
                if (earlier.isIPv4() == pool.isIPv4()) {
                    problems.add(new Problem(Reasons.INVALID_ADDRESS, field, "Address family given twice: " + field + " "
                            + pool + " is a second " + (pool.isIPv4() ? "IPv4" : "IPv6") + " address after " + earlier
                            + "; use at most one IPv4 and one IPv6 address."));
                    break;
                }
            }
            seen.add(pool);
        }
    }
}
