package io.peerwarden.core.wg;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.core.node.DesiredState;

import java.util.Set;

/**
 * Which links are the node agent's: the one home of that rule. The agent creates links only with names starting
 * with its prefix (install policy, default {@value #DEFAULT_PREFIX}) and only WireGuard ones (kernel kind
 * {@code wireguard}, or the {@code tun} device of the wireguard-go it starts), and marks each with its instance's
 * alias ({@link DesiredState#owner}). An existing link is its own only when all three hold: name, alias and kind.
 * Anything else of that name (a CNI bridge, another tool's WireGuard link, a link without the alias) is never
 * changed or deleted.
 */
public final class LinkOwnership {

    public static final String DEFAULT_PREFIX = "pw";
    /** Link kinds the agent creates: the kernel module's, and wireguard-go's TUN device. */
    public static final Set<String> WIREGUARD_KINDS = Set.of("wireguard", "tun");

    private final String prefix;

    /** @throws IllegalArgumentException when the prefix is empty or not the start of a valid interface name */
    public LinkOwnership(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > 14 || !Formats.matches(Formats.INTERFACE_NAME, prefix)) {
            throw new IllegalArgumentException("the interface prefix must be 1 to 14 characters of [a-zA-Z0-9_=+.-], "
                    + "not starting with . or -");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** Whether the agent may create (and so own) a link of this name. */
    public boolean nameAllowed(String name) {
        return name != null && name.startsWith(prefix);
    }

    /** Whether an existing link is one the agent created for some instance: prefix, Peerwarden alias and WireGuard kind. */
    public boolean isManaged(IpShow.Link link) {
        return nameAllowed(link.name()) && link.alias().startsWith(DesiredState.ALIAS_PREFIX) && WIREGUARD_KINDS.contains(link.infoKind());
    }

    /** Whether an existing link is the one the agent created for the instance whose alias is {@code owner}. */
    public boolean isOwnedBy(IpShow.Link link, String owner) {
        return isManaged(link) && link.alias().equals(owner);
    }

    /**
     * What the agent may do with the interface {@code name} of the instance {@code owner}.
     *
     * @param existing the link of that name, null when there is none
     */
    public Verdict judge(String name, String owner, IpShow.Link existing) {
        if (!nameAllowed(name)) {
            return new Verdict(Verdict.Kind.NAME_NOT_ALLOWED, "The interface name " + name + " does not start with " + prefix
                    + ", the prefix this node agent owns (install policy): the agent creates and changes only links named "
                    + prefix + "*. Set spec.interfaceName to a name starting with " + prefix + ", or leave it unset.");
        }
        if (existing == null) {
            return new Verdict(Verdict.Kind.CREATE, null);
        }
        if (isOwnedBy(existing, owner)) {
            return new Verdict(Verdict.Kind.OWNED, null);
        }
        return new Verdict(Verdict.Kind.IN_USE, "The link " + name + " already exists on the node and is not this instance's ("
                + describe(existing) + "): the agent leaves it exactly as it is. Set spec.interfaceName to an unused name "
                + "starting with " + prefix + ", or remove the other link.");
    }

    /** Kind and owner of a foreign link, for messages; node-controlled text is sanitized. */
    public static String describe(IpShow.Link link) {
        String kind = link.infoKind().isEmpty() ? "no kind shown" : "kind " + ToolText.sanitize(link.infoKind());
        String alias = link.alias().isEmpty() ? "no alias"
                : link.alias().startsWith(DesiredState.ALIAS_PREFIX) && WIREGUARD_KINDS.contains(link.infoKind())
                ? "the interface of VpnInstance " + ToolText.sanitize(link.alias().substring(DesiredState.ALIAS_PREFIX.length()))
                : "alias " + ToolText.sanitize(link.alias());
        return kind + ", " + alias;
    }

    /**
     * @param message why the agent leaves the link alone, null for {@code CREATE} and {@code OWNED}
     */
    public record Verdict(Kind kind, String message) {
        public enum Kind { CREATE, OWNED, NAME_NOT_ALLOWED, IN_USE }

        public boolean allowed() {
            return kind == Kind.CREATE || kind == Kind.OWNED;
        }
    }
}
