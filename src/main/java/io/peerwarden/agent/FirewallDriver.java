package io.peerwarden.agent;

import io.peerwarden.core.firewall.InstanceFirewall;
import io.peerwarden.core.firewall.NftChain;
import io.peerwarden.core.firewall.NftDiff;
import io.peerwarden.core.firewall.NftJson;
import io.peerwarden.core.firewall.NftRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies the instances' {@link InstanceFirewall}s on the node: per-interface forwarding sysctls ({@code sysctl},
 * argument vectors) and the agent's own nftables table {@code inet peerwarden}, read back with
 * {@code nft -j list table} and changed by difference ({@link NftDiff}) in one atomic {@code nft -j -f <file>} batch
 * the agent writes. Other tables are only read ({@code nft -j list chains}, to report forward chains that drop).
 */
public final class FirewallDriver {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallDriver.class);

    private final CommandRunner runner;
    private final Path batchDirectory;
    private final java.time.Duration dropCheckInterval;
    private long lastDropCheck;
    private List<NftJson.ForeignChain> drops = List.of();

    /**
     * @param errors        instance key (namespace/name) → why its forwarding or rules could not be applied
     * @param notes         instance key → what on the node may still stop its forwarded traffic (sysctls, other tables)
     * @param diff          the change made to the table this pass (empty when none)
     */
    public record Outcome(Map<String, String> errors, Map<String, List<String>> notes, NftDiff.Result diff,
                          List<NftJson.ForeignChain> forwardDropChains) {
    }

    /** Checks other tables' forward chains at most once a minute (a node's ruleset can be large: kube-proxy's nft mode). */
    public FirewallDriver(CommandRunner runner, Path batchDirectory) {
        this(runner, batchDirectory, java.time.Duration.ofMinutes(1));
    }

    public FirewallDriver(CommandRunner runner, Path batchDirectory, java.time.Duration dropCheckInterval) {
        this.runner = runner;
        this.batchDirectory = batchDirectory;
        this.dropCheckInterval = dropCheckInterval;
    }

    /**
     * @param desired          instance key → its firewall, for every instance of the node whose state is known
     * @param retainInterfaces interfaces whose chains stay exactly as they are (instance known but not plannable this pass)
     * @param removeOthers     whether chains of no desired instance may be removed (caches synced, every instance judged)
     * @param ownsNamespace    whether chains of a namespace are this agent's to remove (null: a chain not named by the agent)
     */
    public Outcome converge(Map<String, InstanceFirewall> desired, Set<String> retainInterfaces, boolean removeOthers,
                            Predicate<String> ownsNamespace) {
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, List<String>> notes = new LinkedHashMap<>();
        boolean anyForwarding = false;
        for (Map.Entry<String, InstanceFirewall> e : desired.entrySet()) {
            InstanceFirewall fw = e.getValue();
            if (fw.forwarding()) {
                anyForwarding = true;
                forwarding(e.getKey(), fw, errors, notes);
            }
        }
        List<NftChain> wanted = new ArrayList<>();
        desired.values().forEach(fw -> wanted.addAll(NftRules.chains(fw)));
        NftDiff.Result none = NftDiff.of(List.of(), List.of(), c -> false);
        CommandRunner.Result listed = runner.run(List.of("nft", "-j", "list", "table", NftRules.FAMILY, NftRules.TABLE));
        List<NftChain> live;
        if (listed.ok()) {
            live = NftJson.parseTable(listed.stdout());
        } else if (listed.exitCode() == 127 && wanted.isEmpty()) {
            LOG.debug("nft cannot run and nothing is declared: {}", listed.error());
            return new Outcome(errors, notes, none, List.of());
        } else if (listed.exitCode() != 127 && listed.error().contains("No such file or directory")) {
            live = null;
        } else {
            if (!wanted.isEmpty()) {
                desired.keySet().forEach(k -> errors.putIfAbsent(k, "nft -j list table " + NftRules.FAMILY + " " + NftRules.TABLE
                        + " failed: " + listed.error()));
            } else {
                LOG.debug("nft list table failed with nothing to apply: {}", listed.error());
            }
            return new Outcome(errors, notes, none, List.of());
        }
        Set<String> desiredChains = new java.util.HashSet<>();
        wanted.forEach(c -> desiredChains.add(c.name()));
        Predicate<String> removable = chain -> removeOthers && !desiredChains.contains(chain)
                && !retainInterfaces.contains(String.valueOf(NftRules.interfaceOf(chain)))
                && ownsNamespace.test(NftRules.namespaceOf(chain));
        NftDiff.Result diff = NftDiff.of(live, wanted, removable);
        if (!diff.empty()) {
            String failure = apply(diff);
            if (failure != null) {
                desired.keySet().forEach(k -> errors.putIfAbsent(k, failure));
                diff = none;
            } else {
                LOG.info("nftables table {} {}: {} rules added, {} removed, {} chains added, {} removed", NftRules.FAMILY,
                        NftRules.TABLE, diff.rulesAdded(), diff.rulesDeleted(), diff.chainsAdded(), diff.chainsDeleted());
            }
        }
        if (anyForwarding) {
            long now = System.nanoTime();
            if (lastDropCheck == 0 || now - lastDropCheck >= dropCheckInterval.toNanos()) {
                lastDropCheck = now;
                CommandRunner.Result chains = runner.run(List.of("nft", "-j", "list", "chains"));
                drops = chains.ok() ? NftJson.forwardDropChains(chains.stdout()) : List.of();
            }
            if (!drops.isEmpty()) {
                String note = "the node's nftables chain(s) " + drops + " drop forwarded packets by default; an accept in the"
                        + " agent's table does not override them: allow the WireGuard interface there (see docs/troubleshooting.md)";
                desired.forEach((k, fw) -> {
                    if (fw.forwarding()) {
                        notes.computeIfAbsent(k, x -> new ArrayList<>()).add(note);
                    }
                });
            }
        }
        return new Outcome(errors, notes, diff, drops);
    }

    /** null when applied, else nft's error text. */
    private String apply(NftDiff.Result diff) {
        Path file = null;
        try {
            file = Files.createTempFile(batchDirectory, "peerwarden-nft-", ".json");
            Files.writeString(file, NftJson.batch(diff.commands()));
            CommandRunner.Result result = runner.run(List.of("nft", "-j", "-f", file.toString()));
            return result.ok() ? null : "nft -j -f (the agent's batch for table " + NftRules.FAMILY + " " + NftRules.TABLE
                    + ") failed: " + result.error();
        } catch (IOException e) {
            return "cannot write the nftables batch file: " + e.getMessage();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /** Forwarding on the interface, IPv4 and (with an IPv6 pool) IPv6; what else the node needs becomes a note. */
    private void forwarding(String key, InstanceFirewall fw, Map<String, String> errors, Map<String, List<String>> notes) {
        String iface = fw.interfaceName();
        boolean v4 = fw.pools().stream().anyMatch(c -> c.isIPv4()) || fw.pools().isEmpty();
        if (v4) {
            ensure(key, "net/ipv4/conf/" + iface + "/forwarding", errors);
            if ("0".equals(read("net/ipv4/conf/all/forwarding"))) {
                notes.computeIfAbsent(key, x -> new ArrayList<>()).add("net.ipv4.ip_forward is 0 on the node: replies arriving on"
                        + " interfaces whose own forwarding is 0 are not forwarded back to the peers (set net.ipv4.ip_forward=1)");
            }
        }
        if (fw.hasIPv6()) {
            ensure(key, "net/ipv6/conf/" + iface + "/forwarding", errors);
            if ("0".equals(read("net/ipv6/conf/all/forwarding"))) {
                notes.computeIfAbsent(key, x -> new ArrayList<>()).add("net.ipv6.conf.all.forwarding is 0 on the node: Linux forwards"
                        + " IPv6 only when it is 1, which the agent does not set (it changes how every interface treats router"
                        + " advertisements)");
            }
        }
    }

    private void ensure(String key, String sysctl, Map<String, String> errors) {
        String value = read(sysctl);
        if ("1".equals(value)) {
            return;
        }
        CommandRunner.Result set = runner.run(List.of("sysctl", "-q", "-w", sysctl + "=1"));
        if (!set.ok()) {
            errors.putIfAbsent(key, "cannot enable forwarding (" + sysctl.replace('/', '.') + "=1): " + set.error()
                    + "; set it on the node, or net.ipv4.ip_forward=1 before the interface is created");
        } else {
            LOG.info("{}=1 set", sysctl.replace('/', '.'));
        }
    }

    private String read(String sysctl) {
        CommandRunner.Result result = runner.run(List.of("sysctl", "-n", sysctl));
        return result.ok() ? result.stdout().strip() : null;
    }
}
