package io.peerwarden.agent;

import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.wg.IpShow;
import io.peerwarden.core.wg.LinkOwnership;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeer;
import io.peerwarden.core.wg.WgPeerConfig;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.node.AppliedPeers;
import io.peerwarden.core.node.PeerChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes live WireGuard interfaces match a {@link DesiredInterface} with {@code ip} and {@code wg}: creates the
 * interface when missing (kernel module, or wireguard-go through {@link UserspaceProcesses}), marks it with the
 * instance's alias, then runs the
 * {@link ConvergenceSteps} (key, port, addresses, MTU, up; exactly the {@link PeerDiff} in batched {@code wg set}
 * runs; site routes). When every command succeeded, the result is what {@code wg} accepted ({@link AppliedPeers}) and the
 * next {@link #observe} checks it against the live interface; when one failed, the interface is read back at once.
 * Links are read with {@link IpShow} as peers are with {@link WgDump}.
 * Nothing that is already right is touched, so live sessions survive agent restarts. It touches only its own links
 * ({@link LinkOwnership}: the owned name prefix, the instance's alias, a WireGuard kind): a link of the name that is
 * not its own is never changed or deleted, and the instance reports {@code InterfaceInUse}. Not thread-safe: one
 * agent loop drives it.
 */
public final class InterfaceDriver {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceDriver.class);
    /** Alias prefix marking links the agent manages: {@link DesiredState#ALIAS_PREFIX}. */
    public static final String ALIAS_PREFIX = DesiredState.ALIAS_PREFIX;
    public static final int DEFAULT_BATCH_SIZE = 500;

    private final CommandRunner runner;
    private final Implementation mode;
    private final UserspaceProcesses userspace;
    private final ConvergenceSteps steps;
    private final LinkOwnership ownership;
    /** Interface name → public key → the host-name endpoint last set successfully on that peer. */
    private final Map<String, Map<String, String>> appliedHostEndpoints = new HashMap<>();
    /**
     * Interface name → its peers as the driver last read or set them, for each interface it can vouch for: the last
     * full pass converged it without an error, and every change since succeeded. Absent: the next change needs a full pass.
     */
    private final Map<String, Map<String, WgPeer>> converged = new HashMap<>();
    /**
     * Interface name → public key → the settings of the peers the driver set and has not read back yet (a pass whose
     * commands all succeeded): the next {@link #observe} compares them with the live interface.
     */
    private final Map<String, Map<String, WgPeerConfig>> unread = new HashMap<>();
    /**
     * Interfaces that did not show what {@code wg} had accepted: their next full pass reads them back before it reports,
     * until one shows everything applied.
     */
    private final Set<String> readBack = new HashSet<>();
    /** Interface name → why it was last left alone, so the warning is logged once per change, not every pass. */
    private final Map<String, String> refusals = new HashMap<>();

    public InterfaceDriver(CommandRunner runner, Implementation mode, KeyFiles keys) {
        this(runner, mode, keys, DEFAULT_BATCH_SIZE);
    }

    public InterfaceDriver(CommandRunner runner, Implementation mode, KeyFiles keys, int batchSize) {
        this(runner, mode, keys, batchSize, LinkOwnership.DEFAULT_PREFIX);
    }

    /** @param interfacePrefix the start of every link name the agent may create (install policy) */
    public InterfaceDriver(CommandRunner runner, Implementation mode, KeyFiles keys, int batchSize, String interfacePrefix) {
        this.ownership = new LinkOwnership(interfacePrefix);
        this.runner = runner;
        this.mode = mode;
        this.userspace = new UserspaceProcesses(runner);
        this.steps = new ConvergenceSteps(runner, keys, batchSize);
    }

    /** One convergence pass over one interface. Never throws for tool failures: they are in the result. */
    public ApplyResult apply(DesiredInterface want) {
        long start = System.nanoTime();
        String name = want.name();
        converged.remove(name);
        unread.remove(name);
        IpShow.Link link = ownership.nameAllowed(name) ? link(name) : null;
        LinkOwnership.Verdict verdict = ownership.judge(name, want.owner(), link);
        if (!verdict.allowed()) {
            if (!verdict.message().equals(refusals.put(name, verdict.message()))) {
                LOG.warn("{}: left alone: {}", name, verdict.message());
            }
            return refused(verdict, start);
        }
        refusals.remove(name);
        boolean created = verdict.kind() == LinkOwnership.Verdict.Kind.CREATE;
        if (created) {
            appliedHostEndpoints.remove(name);
            String error = create(name);
            if (error != null) {
                return failed(null, error, start);
            }
            IpShow.Link made = link(name);
            if (made == null || !LinkOwnership.WIREGUARD_KINDS.contains(made.infoKind()) || !made.alias().isEmpty()) {
                // not what was just created (gone, or another link took the name): not ours to touch or delete
                userspace.stop(name);
                return failed(null, made == null ? "interface " + name + " disappeared right after it was created"
                        : "another link named " + name + " appeared while the agent created it (" + LinkOwnership.describe(made)
                        + "); it is left alone", start);
            }
            CommandRunner.Result marked = runner.run(WgCommands.ipLinkSetAlias(name, want.owner()));
            if (!marked.ok()) {
                // an unmarked link would look foreign from now on: remove what was just created
                runner.run(WgCommands.ipLinkDel(name));
                userspace.stop(name);
                return failed(null, "cannot mark the new interface " + name + " as the agent's (ip link set alias): "
                        + marked.error(), start);
            }
            link = made;
        }
        List<String> interfaceErrors = new ArrayList<>();
        WgDump dump;
        if (created) {
            dump = new WgDump(null, null, 0, 0, Map.of()); // just created: no key, no port, no peer
        } else {
            CommandRunner.Result dumpResult = runner.run(WgCommands.wgShowDump(name));
            if (!dumpResult.ok()) {
                return failed(link.implementation(), dumpResult.error(), start);
            }
            dump = WgDump.parse(dumpResult.stdout());
        }
        boolean keyOrPortSet = steps.interfaceSettings(want, link, dump, interfaceErrors);

        Map<String, String> hostEndpoints = appliedHostEndpoints.computeIfAbsent(name, k -> new HashMap<>());
        PeerDiff diff = PeerDiff.between(want.peers(), dump.peers(), want.complete(), want.retain(), hostEndpoints);
        Map<String, String> peerErrors = new LinkedHashMap<>();
        Map<String, String> routeConflicts = new LinkedHashMap<>();
        int invocations = steps.peers(name, diff, peerErrors, hostEndpoints);
        boolean routesChanged = steps.routes(want, peerErrors, routeConflicts);

        boolean wgChanged = created || !diff.isEmpty() || keyOrPortSet;
        boolean told = wgChanged && interfaceErrors.isEmpty() && peerErrors.isEmpty() && !readBack.contains(name)
                && want.listenPort() != 0;
        WgDump live = !wgChanged ? dump : told ? accepted(want, dump, diff) : reread(name, interfaceErrors);
        String interfaceError = interfaceErrors.isEmpty() ? null : String.join("; ", interfaceErrors);
        ApplyResult result = new ApplyResult(link.implementation(), null, interfaceError, peerErrors, routeConflicts, live,
                countersReset(want, diff, created), notShown(want, live, hostEndpoints),
                diff.adds().size(), diff.updates().size(), diff.removes().size(), diff.withheldRemoves().size(),
                invocations, (System.nanoTime() - start) / 1_000_000);
        if (live != null && interfaceError == null && peerErrors.isEmpty() && result.notShown().isEmpty()) {
            converged.put(name, new HashMap<>(live.peers()));
            if (wgChanged && !told) {
                readBack.remove(name); // read back and all there: wg's word is trusted again
            }
        }
        if (told) {
            Map<String, WgPeerConfig> check = new HashMap<>();
            diff.adds().forEach(p -> check.put(p.publicKey(), p));
            if (!diff.updates().isEmpty()) {
                Set<String> updated = new HashSet<>();
                diff.updates().forEach(u -> updated.add(u.publicKey()));
                want.peers().stream().filter(p -> updated.contains(p.publicKey())).forEach(p -> check.put(p.publicKey(), p));
            }
            if (!check.isEmpty()) {
                unread.put(name, check);
            }
        }
        if (!diff.isEmpty() || created || interfaceError != null || !peerErrors.isEmpty() || !routeConflicts.isEmpty()) {
            LOG.info("{}: {}{} in {} ms ({} wg set runs){}{}{}", name, created ? "created (" + result.implementation() + "), " : "",
                    diff, result.millis(), invocations, peerErrors.isEmpty() ? "" : ", " + peerErrors.size() + " peer errors",
                    routeConflicts.isEmpty() ? "" : ", " + routeConflicts.size() + " peers with route conflicts",
                    result.interfaceError() == null ? "" : ", interface error: " + result.interfaceError());
        }
        return result;
    }

    /** Whether the interface is converged as far as the driver knows, so a few peers' changes can be applied alone. */
    public boolean converged(String name) {
        return converged.containsKey(name);
    }

    /** Forgets what the driver knows of the interface: its next change is a full pass. */
    public void forget(String name) {
        converged.remove(name);
        unread.remove(name);
    }

    /**
     * Applies the change of a few peers to a {@link #converged} interface: exactly their differences from what the driver
     * knows is live, in one {@code wg set} naming only them (their preshared keys in files), and {@code ip route} only
     * for the subnets that change; no {@code wg show dump}, no diff of the other peers. A failure makes the interface
     * unvouched ({@link #converged} false), so the caller's next pass over it is a full one.
     *
     * @return the outcome; {@code live} holds the changed peers only, as the driver now knows them
     * @throws IllegalStateException when the interface is not {@link #converged}
     */
    public ApplyResult applyChange(String name, PeerChange change) {
        long start = System.nanoTime();
        Map<String, WgPeer> known = converged.get(name);
        if (known == null) {
            throw new IllegalStateException(name + " is not converged: a full pass is needed");
        }
        Map<String, WgPeer> actual = new HashMap<>();
        for (String key : change.keys()) {
            WgPeer peer = known.get(key);
            if (peer != null) {
                actual.put(key, peer);
            }
        }
        Map<String, String> hostEndpoints = appliedHostEndpoints.computeIfAbsent(name, k -> new HashMap<>());
        PeerDiff diff = PeerDiff.between(change.upserts(), actual, true, change.retain(), hostEndpoints);
        Map<String, String> peerErrors = new LinkedHashMap<>();
        Map<String, String> routeConflicts = new LinkedHashMap<>();
        int invocations = steps.peers(name, diff, peerErrors, hostEndpoints);
        if (change.routesChange()) {
            steps.routeChanges(name, change.routesAdded(), change.routesRemoved(), peerErrors, routeConflicts);
        }
        Map<String, WgPeer> changed = new LinkedHashMap<>();
        Map<String, WgPeerConfig> toCheck = unread.get(name);
        for (String key : diff.removes()) {
            if (!peerErrors.containsKey(key)) {
                known.remove(key);
                if (toCheck != null) {
                    toCheck.remove(key);
                }
            }
        }
        Set<String> touched = new HashSet<>();
        diff.adds().forEach(p -> touched.add(p.publicKey()));
        diff.updates().forEach(u -> touched.add(u.publicKey()));
        for (WgPeerConfig want : change.upserts()) {
            if (peerErrors.containsKey(want.publicKey())) {
                continue;
            }
            WgPeer before = known.get(want.publicKey());
            if (!touched.contains(want.publicKey())) {
                if (before != null) {
                    changed.put(want.publicKey(), before);
                }
                continue;
            }
            WgPeer now = AppliedPeers.applied(want, before);
            known.put(want.publicKey(), now);
            changed.put(want.publicKey(), now);
            if (toCheck != null) {
                toCheck.put(want.publicKey(), want);
            }
        }
        if (!peerErrors.isEmpty()) {
            converged.remove(name);
        }
        Set<String> reset = new HashSet<>();
        diff.adds().forEach(p -> reset.add(p.publicKey()));
        ApplyResult result = new ApplyResult(null, null, null, peerErrors, routeConflicts, new WgDump(null, null, 0, 0, changed),
                reset, Set.of(), diff.adds().size(), diff.updates().size(), diff.removes().size(), 0, invocations,
                (System.nanoTime() - start) / 1_000_000);
        LOG.info("{}: {} of {} changed peers in {} ms ({} wg set runs){}", name, diff, change.keys().size(), result.millis(), invocations,
                peerErrors.isEmpty() ? "" : ", " + peerErrors.size() + " peer errors");
        return result;
    }

    /**
     * Reads a {@link #converged} interface for the status pass (one {@code wg show dump}) and refreshes what the driver
     * knows of it. The peers set since it was last read back are compared with it (a diff of those peers only): the
     * settings {@code wg} accepted must show.
     *
     * @return empty when it cannot be read, or when a peer set since the last read does not show as set: the interface
     *         is then no longer converged, and its next full pass reads it back before it reports
     */
    public Optional<WgDump> observe(String name) {
        Optional<WgDump> live = show(name);
        Map<String, WgPeerConfig> check = unread.remove(name);
        if (live.isEmpty()) {
            converged.remove(name);
            return live;
        }
        if (check != null) {
            Set<String> missing = notShown(check.values(), Set.of(), live.get(), appliedHostEndpoints.getOrDefault(name, Map.of()));
            if (!missing.isEmpty()) {
                LOG.warn("{}: {} of the {} peers set in the last pass do not show as set; a full pass sets them again and reads "
                        + "the interface back", name, missing.size(), check.size());
                converged.remove(name);
                readBack.add(name);
                return Optional.empty();
            }
        }
        if (converged.containsKey(name)) {
            converged.put(name, new HashMap<>(live.get().peers()));
        }
        return live;
    }

    /** Whether peers were set on the interface and not read back yet (the next {@link #observe} checks them). */
    public boolean unread(String name) {
        return unread.containsKey(name);
    }

    /**
     * The interface after a pass in which {@code wg} accepted every command: the dump before it with the key, the port
     * and the diff applied.
     */
    private static WgDump accepted(DesiredInterface want, WgDump before, PeerDiff diff) {
        boolean keySet = !WireGuardKeys.samePrivateKey(before.privateKey(), want.privateKey());
        return new WgDump(want.privateKey(), keySet ? WireGuardKeys.publicKeyOf(want.privateKey()) : before.publicKey(),
                want.listenPort(), before.fwmark(), AppliedPeers.after(before.peers(), diff, want.peers(), Set.of()));
    }

    /** Public keys whose live counters start from zero: every peer of a new interface, else the added ones. */
    private static Set<String> countersReset(DesiredInterface want, PeerDiff diff, boolean created) {
        Set<String> reset = new HashSet<>();
        if (created) {
            want.peers().forEach(p -> reset.add(p.publicKey()));
        } else {
            diff.adds().forEach(p -> reset.add(p.publicKey()));
        }
        return reset;
    }

    /** The interface after this pass's changes, or null (and the error recorded) when it cannot be read. */
    private WgDump reread(String name, List<String> interfaceErrors) {
        CommandRunner.Result after = runner.run(WgCommands.wgShowDump(name));
        if (!after.ok()) {
            interfaceErrors.add(after.error());
            return null;
        }
        return WgDump.parse(after.stdout());
    }

    /**
     * Desired peers the live interface does not show as configured, judged with the same record of host-name
     * endpoints the diff uses (a host-name endpoint shows as its resolved address). Retained peers are not judged.
     */
    static Set<String> notShown(DesiredInterface want, WgDump live, Map<String, String> hostEndpoints) {
        return notShown(want.peers(), want.retain(), live, hostEndpoints);
    }

    private static Set<String> notShown(java.util.Collection<WgPeerConfig> peers, Set<String> retain, WgDump live,
                                        Map<String, String> hostEndpoints) {
        Set<String> keys = new HashSet<>();
        if (live == null) {
            peers.forEach(p -> keys.add(p.publicKey()));
            keys.removeAll(retain);
            return keys;
        }
        PeerDiff left = PeerDiff.between(peers, live.peers(), false, retain, hostEndpoints);
        left.adds().forEach(p -> keys.add(p.publicKey()));
        left.updates().forEach(u -> keys.add(u.publicKey()));
        return keys;
    }

    /** The live interface, or empty when it does not exist or cannot be read. */
    public Optional<WgDump> show(String name) {
        CommandRunner.Result result = runner.run(WgCommands.wgShowDump(name));
        return result.ok() ? Optional.of(WgDump.parse(result.stdout())) : Optional.empty();
    }

    /**
     * Deletes the interface (and stops its wireguard-go). Used when its instance is deleted or moved away. Only a
     * link that is still the agent's ({@link LinkOwnership#isManaged}) is deleted; anything else is left alone.
     */
    public void teardown(String name) {
        converged.remove(name);
        unread.remove(name);
        readBack.remove(name);
        IpShow.Link link = link(name);
        if (link == null || !ownership.isManaged(link)) {
            if (link != null) {
                LOG.warn("{}: not deleted: the link is not the agent's ({})", name, LinkOwnership.describe(link));
            }
            userspace.stop(name);
            appliedHostEndpoints.remove(name);
            return;
        }
        CommandRunner.Result result = runner.run(WgCommands.ipLinkDel(name));
        if (!result.ok() && !result.error().contains("does not exist") && !result.error().contains("Cannot find device")) {
            LOG.warn("{}: could not delete the interface: {}", name, result.error());
        }
        userspace.stop(name);
        appliedHostEndpoints.remove(name);
        refusals.remove(name);
        LOG.info("{}: torn down", name);
    }

    /** The agent's own links (owned prefix, Peerwarden alias, WireGuard kind): interface name → owner (the alias). */
    public Map<String, String> managedInterfaces() {
        CommandRunner.Result result = runner.run(WgCommands.ipLinkShowAll());
        Map<String, String> managed = new LinkedHashMap<>();
        if (!result.ok()) {
            LOG.warn("cannot list links: {}", result.error());
            return managed;
        }
        for (IpShow.Link link : IpShow.links(result.stdout())) {
            if (ownership.isManaged(link)) {
                managed.put(link.name(), link.alias());
            }
        }
        return managed;
    }

    /**
     * Stops the wireguard-go processes this driver started <em>without</em> deleting their interfaces is not
     * possible (the interface lives in the process), so on a normal shutdown they are left running: peers keep
     * their sessions across an agent restart. This only forgets the handles.
     */
    public void detach() {
        userspace.forgetAll();
    }

    private String create(String name) {
        String kernelError = null;
        if (mode != Implementation.USERSPACE) {
            CommandRunner.Result result = runner.run(WgCommands.ipLinkAddWireguard(name));
            if (result.ok()) {
                return null;
            }
            kernelError = result.error();
            if (mode == Implementation.KERNEL) {
                return "ip link add " + name + " type wireguard: " + kernelError;
            }
            LOG.info("{}: no kernel WireGuard ({}), starting wireguard-go", name, kernelError);
        }
        return userspace.start(name, kernelError, n -> link(n) != null);
    }

    /** The link, or null when it does not exist. */
    private IpShow.Link link(String name) {
        CommandRunner.Result result = runner.run(WgCommands.ipLinkShow(name));
        if (!result.ok()) {
            return null;
        }
        List<IpShow.Link> links = IpShow.links(result.stdout());
        return links.isEmpty() ? null : links.get(0);
    }

    private ApplyResult failed(String implementation, String error, long start) {
        ApplyResult result = new ApplyResult(implementation, error, Map.of(), null, Set.of(), Set.of(), 0, 0, 0, 0, 0,
                (System.nanoTime() - start) / 1_000_000);
        LOG.warn("interface failed: {}", result.interfaceError());
        return result;
    }

    /** Nothing was run on the link: it is not the agent's, or the name is not one it may own. */
    private static ApplyResult refused(LinkOwnership.Verdict verdict, long start) {
        String reason = verdict.kind() == LinkOwnership.Verdict.Kind.IN_USE ? Reasons.INTERFACE_IN_USE : Reasons.INTERFACE_NAME_NOT_ALLOWED;
        return new ApplyResult(null, reason, verdict.message(), Map.of(), Map.of(), null, Set.of(), Set.of(), 0, 0, 0, 0, 0,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The prefix of the link names this driver may create. */
    public String interfacePrefix() {
        return ownership.prefix();
    }

    /** For tests and shutdown paths: the wireguard-go process of an interface, if this driver started it. */
    Process userspaceProcess(String name) {
        return userspace.process(name);
    }
}
