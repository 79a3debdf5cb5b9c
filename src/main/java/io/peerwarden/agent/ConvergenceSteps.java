package io.peerwarden.agent;

import io.peerwarden.core.diff.Cidrs;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.diff.PeerUpdate;
import io.peerwarden.core.net.Endpoint;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.wg.IpShow;
import io.peerwarden.core.wg.ToolText;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgConfFile;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that bring an existing interface to its {@link DesiredInterface}, each changing only what differs:
 * interface settings (key, port, addresses, MTU, up), peers (the {@link PeerDiff} in batched {@code wg set} runs)
 * and site routes. Tool failures are collected, never thrown.
 */
final class ConvergenceSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ConvergenceSteps.class);

    private final CommandRunner runner;
    private final KeyFiles keys;
    private final int batchSize;

    ConvergenceSteps(CommandRunner runner, KeyFiles keys, int batchSize) {
        this.runner = runner;
        this.keys = keys;
        this.batchSize = batchSize;
    }

    /**
     * Private key and listen port, addresses, MTU and link state.
     *
     * @return whether the key or the port had to be set
     */
    boolean interfaceSettings(DesiredInterface want, IpShow.Link link, WgDump dump, List<String> errors) {
        String name = want.name();
        boolean keyDiffers = !WireGuardKeys.samePrivateKey(dump.privateKey(), want.privateKey());
        boolean portDiffers = dump.listenPort() != want.listenPort();
        if (keyDiffers || portDiffers) {
            try (KeyFiles.Scope scope = keys.scope()) {
                check(runner.run(WgCommands.wgSetInterface(name, portDiffers ? want.listenPort() : null,
                        keyDiffers ? scope.write(want.privateKey()) : null)), errors);
            } catch (UncheckedIOException e) {
                errors.add("cannot write the private-key file: " + e.getMessage() + ": " + e.getCause());
            }
        }
        addresses(want, errors);
        if (want.mtu() != null && want.mtu() != link.mtu()) {
            check(runner.run(WgCommands.ipLinkSetMtu(name, want.mtu())), errors);
        }
        if (!link.up()) {
            check(runner.run(WgCommands.ipLinkSetUp(name)), errors);
        }
        return keyDiffers || portDiffers;
    }

    private void addresses(DesiredInterface want, List<String> errors) {
        CommandRunner.Result shown = runner.run(WgCommands.ipAddressShow(want.name()));
        if (!shown.ok()) {
            errors.add(shown.error());
            return;
        }
        Set<String> have = new LinkedHashSet<>();
        IpShow.addresses(shown.stdout()).forEach(a -> have.add(Cidrs.interfaceAddress(a)));
        Set<String> wanted = new LinkedHashSet<>();
        want.addresses().forEach(a -> wanted.add(Cidrs.interfaceAddress(a)));
        for (String address : have) {
            if (!wanted.contains(address)) {
                check(runner.run(WgCommands.ipAddressDel(want.name(), address)), errors);
            }
        }
        for (String address : wanted) {
            if (!have.contains(address)) {
                check(runner.run(WgCommands.ipAddressAdd(want.name(), address)), errors);
            }
        }
    }

    /**
     * Applies the diff in batches of {@code batchSize} peers; a failed batch is retried peer by peer so only the
     * culprits fail. Preshared-key files are written per batch, just before its {@code wg set}, and deleted right
     * after it (and its retries), so the key directory never holds more than one batch's keys; when even those do
     * not fit, the batch's peers are applied one by one, each with its own file, and a peer whose file cannot be
     * written gets that as its error. Records in {@code hostEndpoints} the host-name endpoints now set.
     *
     * @param peerErrors receives public key → the tool's error text
     * @return the number of {@code wg set} runs
     */
    int peers(String name, PeerDiff diff, Map<String, String> peerErrors, Map<String, String> hostEndpoints) {
        if (diff.isEmpty()) {
            return 0;
        }
        List<WgPeerConfig> conf = diff.adds().size() > batchSize
                ? diff.adds().stream().filter(WgConfFile::writable).toList() : List.of();
        if (conf.isEmpty()) {
            return peersBySet(name, diff, peerErrors, hostEndpoints);
        }
        int invocations = peersBySet(name, diff.withoutAdds(conf), peerErrors, hostEndpoints);
        return invocations + addconf(name, conf, peerErrors, hostEndpoints);
    }

    /**
     * Many new peers in one {@code wg addconf} run from a private config file (keys in the file, never in an argument),
     * the file deleted right after; when the file cannot be written or the run fails, the peers are applied with
     * {@code wg set} in batches as usual (re-setting a peer addconf did add changes nothing).
     */
    private int addconf(String name, List<WgPeerConfig> adds, Map<String, String> peerErrors, Map<String, String> hostEndpoints) {
        int runs = 0;
        try (KeyFiles.Scope scope = keys.scope()) {
            java.nio.file.Path file = scope.writeText(WgConfFile.peers(adds));
            runs++;
            CommandRunner.Result result = runner.run(WgCommands.wgAddconf(name, file));
            if (result.ok()) {
                rememberHostEndpoints(PeerDiff.additions(adds), peerErrors, hostEndpoints);
                return runs;
            }
            LOG.info("{}: wg addconf of {} new peers failed ({}), applying them with wg set", name, adds.size(), result.error());
        } catch (UncheckedIOException e) {
            LOG.warn("{}: the config file of {} new peers does not fit ({}), applying them with wg set", name, adds.size(), keyFileError(e));
        }
        return runs + peersBySet(name, PeerDiff.additions(adds), peerErrors, hostEndpoints);
    }

    private int peersBySet(String name, PeerDiff diff, Map<String, String> peerErrors, Map<String, String> hostEndpoints) {
        if (diff.isEmpty()) {
            return 0;
        }
        Map<String, String> pendingKeys = new HashMap<>();
        List<WgCommands.PeerArgs> args = diff.wgSetArgs(psk -> {
            Path file = keys.reserve();
            pendingKeys.put(file.toString(), psk);
            return file;
        });
        int invocations = 0;
        for (WgCommands.PeerBatch batch : WgCommands.wgSetPeers(name, args, batchSize)) {
            CommandRunner.Result result;
            try (KeyFiles.Scope scope = keys.scope()) {
                try {
                    writeKeys(batch.peers(), pendingKeys, scope);
                } catch (UncheckedIOException e) {
                    if (batch.peers().size() == 1) {
                        peerErrors.put(batch.peers().get(0).publicKey(), keyFileError(e));
                        continue;
                    }
                    LOG.warn("{}: the key files of a wg set batch of {} peers do not fit ({}), applying them one by one",
                            name, batch.peers().size(), keyFileError(e));
                    scope.close();
                    invocations += oneByOne(name, batch, pendingKeys, peerErrors);
                    continue;
                }
                invocations++;
                result = runner.run(batch.argv());
                if (result.ok()) {
                    continue;
                }
                if (batch.peers().size() == 1) {
                    peerErrors.put(batch.peers().get(0).publicKey(), result.error());
                    continue;
                }
                // find the culprit(s): the others must still be applied; their key files are still there
                LOG.info("{}: a wg set batch of {} peers failed ({}), applying them one by one", name, batch.peers().size(), result.error());
                for (WgCommands.PeerBatch single : WgCommands.wgSetPeers(name, batch.peers(), 1)) {
                    invocations++;
                    CommandRunner.Result alone = runner.run(single.argv());
                    if (!alone.ok()) {
                        peerErrors.put(single.peers().get(0).publicKey(), alone.error());
                    }
                }
            }
        }
        rememberHostEndpoints(diff, peerErrors, hostEndpoints);
        return invocations;
    }

    /** Each peer of the batch in its own {@code wg set}, its key file written just before and deleted right after. */
    private int oneByOne(String name, WgCommands.PeerBatch batch, Map<String, String> pendingKeys, Map<String, String> peerErrors) {
        int invocations = 0;
        for (WgCommands.PeerBatch single : WgCommands.wgSetPeers(name, batch.peers(), 1)) {
            String key = single.peers().get(0).publicKey();
            try (KeyFiles.Scope scope = keys.scope()) {
                writeKeys(single.peers(), pendingKeys, scope);
                invocations++;
                CommandRunner.Result alone = runner.run(single.argv());
                if (!alone.ok()) {
                    peerErrors.put(key, alone.error());
                }
            } catch (UncheckedIOException e) {
                peerErrors.put(key, keyFileError(e));
            }
        }
        return invocations;
    }

    /** Writes the key files the peers' arguments name (reserved when the arguments were built). */
    private static void writeKeys(List<WgCommands.PeerArgs> peers, Map<String, String> pendingKeys, KeyFiles.Scope scope) {
        for (WgCommands.PeerArgs peer : peers) {
            List<String> args = peer.args();
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("preshared-key")) {
                    String psk = pendingKeys.get(args.get(i + 1));
                    if (psk != null) {
                        scope.writeAt(Path.of(args.get(i + 1)), psk);
                    }
                }
            }
        }
    }

    private static String keyFileError(UncheckedIOException e) {
        return "cannot write the preshared-key file: " + e.getMessage() + ": " + e.getCause();
    }

    private static void rememberHostEndpoints(PeerDiff diff, Map<String, String> peerErrors, Map<String, String> hostEndpoints) {
        diff.removes().forEach(hostEndpoints::remove);
        for (WgPeerConfig add : diff.adds()) {
            remember(add.publicKey(), add.endpoint(), peerErrors, hostEndpoints);
        }
        for (PeerUpdate update : diff.updates()) {
            remember(update.publicKey(), update.endpoint(), peerErrors, hostEndpoints);
        }
    }

    private static void remember(String key, String endpoint, Map<String, String> peerErrors, Map<String, String> hostEndpoints) {
        if (endpoint != null && !peerErrors.containsKey(key) && !Endpoint.parse(endpoint).map(Endpoint::isIpLiteral).orElse(false)) {
            hostEndpoints.put(key, endpoint);
        }
    }

    /**
     * Converges site routes by difference, touching only the agent's own: routes on the interface marked with
     * {@link WgCommands#ROUTE_PROTO}. A missing route is added with {@code ip route add} (never replaced) unless a
     * route for exactly that prefix already exists on another device: that one is left as it is and the peer behind
     * the subnet gets a route conflict (its other subnets and the other peers still apply). A route for the prefix
     * already on the interface itself (added by hand) is left as it is, and never removed. When the desired state is
     * complete, the agent's routes no longer wanted are removed.
     *
     * @param peerErrors     receives, under the public key of the peer behind the route, why a route could not be added
     * @param routeConflicts receives, under the same key, which existing route keeps a subnet from being routed
     * @return whether any route was added or removed
     */
    boolean routes(DesiredInterface want, Map<String, String> peerErrors, Map<String, String> routeConflicts) {
        String name = want.name();
        Map<String, String> wanted = new LinkedHashMap<>();
        want.routes().forEach((cidr, owner) -> wanted.put(Cidrs.network(cidr), owner));
        Set<String> ours = new LinkedHashSet<>();
        for (String family : List.of("-4", "-6")) {
            CommandRunner.Result shown = runner.run(WgCommands.ipRouteShow(family, name));
            if (!shown.ok()) {
                LOG.warn("{}: cannot list routes: {}", name, shown.error());
                return false;
            }
            IpShow.routeDestinations(shown.stdout()).forEach(dst -> ours.add(Cidrs.network(dst)));
        }
        boolean changed = false;
        for (Map.Entry<String, String> route : wanted.entrySet()) {
            if (!ours.contains(route.getKey())) {
                changed |= addRoute(name, route.getKey(), route.getValue(), peerErrors, routeConflicts);
            }
        }
        if (want.complete()) {
            for (String route : ours) {
                if (!wanted.containsKey(route)) {
                    changed = true;
                    CommandRunner.Result result = runner.run(WgCommands.ipRouteDel(name, route));
                    if (!result.ok()) {
                        LOG.warn("{}: cannot remove route {}: {}", name, route, result.error());
                    }
                }
            }
        }
        return changed;
    }

    /**
     * The route changes a few peers' events call for ({@link io.peerwarden.core.node.PeerChange}), with the same rules
     * as {@link #routes}: a subnet is routed only when no other device has a route for exactly it, and only the agent's
     * own routes are removed. Runs {@code ip} only for the subnets named.
     *
     * @return whether any route was added or removed
     */
    boolean routeChanges(String name, Map<String, String> added, Set<String> removed, Map<String, String> peerErrors,
                         Map<String, String> routeConflicts) {
        boolean changed = false;
        for (String subnet : removed) {
            CommandRunner.Result result = runner.run(WgCommands.ipRouteDel(name, Cidrs.network(subnet)));
            changed |= result.ok();
            if (!result.ok() && !result.error().contains("No such process")) {
                LOG.warn("{}: cannot remove route {}: {}", name, Cidrs.network(subnet), result.error());
            }
        }
        for (Map.Entry<String, String> route : added.entrySet()) {
            changed |= addRoute(name, Cidrs.network(route.getKey()), route.getValue(), peerErrors, routeConflicts);
        }
        return changed;
    }

    /** Adds the agent's route for {@code cidr} unless one for exactly it exists (its own: left; another's: a conflict). */
    private boolean addRoute(String name, String cidr, String owner, Map<String, String> peerErrors, Map<String, String> routeConflicts) {
        CommandRunner.Result existing = runner.run(WgCommands.ipRouteShowExact(family(cidr), cidr));
        if (!existing.ok()) {
            peerErrors.merge(owner, "cannot list the routes for " + cidr + ": " + existing.error(), ConvergenceSteps::join);
            return false;
        }
        List<IpShow.Route> routes = IpShow.routes(existing.stdout());
        if (routes.stream().anyMatch(r -> r.dev().equals(name))) {
            return false;
        }
        if (!routes.isEmpty()) {
            routeConflicts.merge(owner, conflict(cidr, routes.get(0)), ConvergenceSteps::join);
            return false;
        }
        CommandRunner.Result result = runner.run(WgCommands.ipRouteAdd(name, cidr));
        if (!result.ok()) {
            peerErrors.merge(owner, "ip route add " + cidr + ": " + result.error(), ConvergenceSteps::join);
        }
        return true;
    }

    private static String family(String cidr) {
        return cidr.contains(":") ? "-6" : "-4";
    }

    private static String conflict(String cidr, IpShow.Route existing) {
        String via = existing.dev().isEmpty() ? "without a device (blackhole, unreachable or multipath)"
                : "via " + ToolText.sanitize(existing.dev());
        String proto = existing.protocol().isEmpty() ? "" : ", proto " + ToolText.sanitize(existing.protocol());
        return "The node already has a route for " + cidr + " " + via + proto + ", not the agent's: it is left as it is and "
                + cidr + " is not routed to this peer. Remove that route, or " + cidr + " from spec.subnets.";
    }

    private static String join(String a, String b) {
        return a + "; " + b;
    }

    static void check(CommandRunner.Result result, List<String> errors) {
        if (!result.ok()) {
            errors.add(result.error());
        }
    }
}
