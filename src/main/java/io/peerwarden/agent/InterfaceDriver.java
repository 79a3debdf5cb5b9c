package io.peerwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerwarden.core.diff.Cidrs;
import io.peerwarden.core.diff.PeerDiff;
import io.peerwarden.core.diff.PeerUpdate;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.core.wg.WgCommands;
import io.peerwarden.core.wg.WgDump;
import io.peerwarden.core.wg.WgPeerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes live WireGuard interfaces match a {@link DesiredInterface} with {@code ip} and {@code wg}: creates the
 * interface when missing (kernel module, or wireguard-go), sets key, port, addresses, MTU, brings it up, applies
 * exactly the {@link PeerDiff} in batched {@code wg set} runs and adds/removes site routes. Nothing that is already
 * right is touched, so live sessions survive agent restarts. Not thread-safe: one agent loop drives it.
 */
public final class InterfaceDriver {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alias prefix marking links the agent manages (the rest of the alias is namespace/name of the instance). */
    public static final String ALIAS_PREFIX = DesiredState.ALIAS_PREFIX;
    public static final int DEFAULT_BATCH_SIZE = 500;

    private final CommandRunner runner;
    private final Implementation mode;
    private final KeyFiles keys;
    private final int batchSize;
    private final Duration userspaceStartTimeout = Duration.ofSeconds(10);
    private final Map<String, Process> userspace = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> appliedHostEndpoints = new HashMap<>();

    public InterfaceDriver(CommandRunner runner, Implementation mode, KeyFiles keys) {
        this(runner, mode, keys, DEFAULT_BATCH_SIZE);
    }

    public InterfaceDriver(CommandRunner runner, Implementation mode, KeyFiles keys, int batchSize) {
        this.runner = runner;
        this.mode = mode;
        this.keys = keys;
        this.batchSize = batchSize;
    }

    /** One convergence pass over one interface. Never throws for tool failures: they are in the result. */
    public ApplyResult apply(DesiredInterface want) {
        long start = System.nanoTime();
        String name = want.name();
        Link link = link(name);
        boolean created = false;
        if (link == null) {
            appliedHostEndpoints.remove(name);
            String error = create(name);
            if (error != null) {
                return failed(null, error, start);
            }
            created = true;
            link = link(name);
            if (link == null) {
                return failed(null, "interface " + name + " disappeared right after it was created", start);
            }
        }
        String implementation = link.kind();
        List<String> interfaceErrors = new ArrayList<>();
        if (!want.owner().equals(link.alias())) {
            check(runner.run(WgCommands.ipLinkSetAlias(name, want.owner())), interfaceErrors);
        }

        CommandRunner.Result dumpResult = runner.run(WgCommands.wgShowDump(name));
        if (!dumpResult.ok()) {
            return failed(implementation, dumpResult.error(), start);
        }
        WgDump dump = WgDump.parse(dumpResult.stdout());

        boolean keyDiffers = !WgDump.samePrivateKey(dump.privateKey(), want.privateKey());
        boolean portDiffers = dump.listenPort() != want.listenPort();
        if (keyDiffers || portDiffers) {
            try (KeyFiles.Scope scope = keys.scope()) {
                check(runner.run(WgCommands.wgSetInterface(name, portDiffers ? want.listenPort() : null,
                        keyDiffers ? scope.write(want.privateKey()) : null)), interfaceErrors);
            }
        }
        applyAddresses(want, interfaceErrors);
        if (want.mtu() != null && want.mtu() != link.mtu()) {
            check(runner.run(WgCommands.ipLinkSetMtu(name, want.mtu())), interfaceErrors);
        }
        if (!link.up()) {
            check(runner.run(WgCommands.ipLinkSetUp(name)), interfaceErrors);
        }

        Map<String, String> hostEndpoints = appliedHostEndpoints.computeIfAbsent(name, k -> new HashMap<>());
        PeerDiff diff = PeerDiff.between(want.peers(), dump.peers(), want.complete(), want.retain(), hostEndpoints);
        Map<String, String> peerErrors = new LinkedHashMap<>();
        int invocations = applyPeers(name, diff, peerErrors);
        rememberHostEndpoints(diff, peerErrors, hostEndpoints);
        boolean routesChanged = applyRoutes(want, peerErrors);

        Set<String> reset = new HashSet<>();
        if (created) {
            want.peers().forEach(p -> reset.add(p.publicKey()));
        } else {
            diff.adds().forEach(p -> reset.add(p.publicKey()));
        }
        WgDump live = dump;
        if (created || !diff.isEmpty() || keyDiffers || portDiffers || routesChanged) {
            CommandRunner.Result after = runner.run(WgCommands.wgShowDump(name));
            live = after.ok() ? WgDump.parse(after.stdout()) : null;
            if (!after.ok()) {
                interfaceErrors.add(after.error());
            }
        }
        String interfaceError = interfaceErrors.isEmpty() ? null : String.join("; ", interfaceErrors);
        ApplyResult result = new ApplyResult(implementation, interfaceError, peerErrors, live, reset,
                notShown(want, live, hostEndpoints),
                diff.adds().size(), diff.updates().size(), diff.removes().size(), diff.withheldRemoves().size(),
                invocations, (System.nanoTime() - start) / 1_000_000);
        if (!diff.isEmpty() || created || interfaceError != null || !peerErrors.isEmpty()) {
            LOG.info("{}: {}{} in {} ms ({} wg set runs){}{}", name, created ? "created (" + implementation + "), " : "", diff,
                    result.millis(), invocations, peerErrors.isEmpty() ? "" : ", " + peerErrors.size() + " peer errors",
                    interfaceError == null ? "" : ", interface error: " + interfaceError);
        }
        return result;
    }

    /**
     * Desired peers the live interface does not show as configured, judged with the same record of host-name
     * endpoints the diff uses (a host-name endpoint shows as its resolved address). Retained peers are not judged.
     */
    static Set<String> notShown(DesiredInterface want, WgDump live, Map<String, String> hostEndpoints) {
        Set<String> keys = new HashSet<>();
        if (live == null) {
            want.peers().forEach(p -> keys.add(p.publicKey()));
            keys.removeAll(want.retain());
            return keys;
        }
        PeerDiff left = PeerDiff.between(want.peers(), live.peers(), false, want.retain(), hostEndpoints);
        left.adds().forEach(p -> keys.add(p.publicKey()));
        left.updates().forEach(u -> keys.add(u.publicKey()));
        return keys;
    }

    /** The live interface, or empty when it does not exist or cannot be read. */
    public java.util.Optional<WgDump> show(String name) {
        CommandRunner.Result result = runner.run(WgCommands.wgShowDump(name));
        return result.ok() ? java.util.Optional.of(WgDump.parse(result.stdout())) : java.util.Optional.empty();
    }

    /** Deletes the interface (and stops its wireguard-go). Used when its instance is deleted or moved away. */
    public void teardown(String name) {
        CommandRunner.Result result = runner.run(WgCommands.ipLinkDel(name));
        if (!result.ok() && !result.error().contains("does not exist") && !result.error().contains("Cannot find device")) {
            LOG.warn("{}: could not delete the interface: {}", name, result.error());
        }
        stopUserspace(name);
        appliedHostEndpoints.remove(name);
        LOG.info("{}: torn down", name);
    }

    /** Links carrying the agent's alias: interface name → owner (the alias). */
    public Map<String, String> managedInterfaces() {
        CommandRunner.Result result = runner.run(WgCommands.ipLinkShowAll());
        Map<String, String> managed = new LinkedHashMap<>();
        if (!result.ok()) {
            LOG.warn("cannot list links: {}", result.error());
            return managed;
        }
        for (JsonNode node : readJson(result.stdout())) {
            String alias = node.path("ifalias").asText("");
            if (alias.startsWith(ALIAS_PREFIX)) {
                managed.put(node.path("ifname").asText(), alias);
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
        userspace.clear();
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
        return startUserspace(name, kernelError);
    }

    private String startUserspace(String name, String kernelError) {
        stopUserspace(name);
        Process process;
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "peerwarden-wireguard-go-" + name + ".log");
        try {
            // foreground: the agent keeps the handle (wireguard-go daemonizes otherwise)
            process = runner.start(WgCommands.wireguardGo(name), Map.of("WG_PROCESS_FOREGROUND", "1"), log);
        } catch (IOException e) {
            return "cannot start wireguard-go: " + e.getMessage() + (kernelError == null ? "" : " (kernel: " + kernelError + ")");
        }
        long deadline = System.nanoTime() + userspaceStartTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "wireguard-go " + name + " exited with code " + process.exitValue() + tail(log)
                        + (kernelError == null ? "" : " (kernel: " + kernelError + ")");
            }
            if (link(name) != null) {
                userspace.put(name, process);
                return null;
            }
            sleep(50);
        }
        process.destroy();
        return "wireguard-go " + name + " did not create the interface within " + userspaceStartTimeout.toSeconds() + "s";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : ": " + String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private void stopUserspace(String name) {
        Process process = userspace.remove(name);
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void applyAddresses(DesiredInterface want, List<String> errors) {
        CommandRunner.Result shown = runner.run(WgCommands.ipAddressShow(want.name()));
        if (!shown.ok()) {
            errors.add(shown.error());
            return;
        }
        Set<String> have = new LinkedHashSet<>();
        for (JsonNode link : readJson(shown.stdout())) {
            for (JsonNode info : link.path("addr_info")) {
                if ("link".equals(info.path("scope").asText())) {
                    continue; // IPv6 link-local: the kernel's, not ours
                }
                have.add(Cidrs.interfaceAddress(info.path("local").asText() + "/" + info.path("prefixlen").asInt()));
            }
        }
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

    private int applyPeers(String name, PeerDiff diff, Map<String, String> peerErrors) {
        if (diff.isEmpty()) {
            return 0;
        }
        int invocations = 0;
        try (KeyFiles.Scope scope = keys.scope()) {
            for (WgCommands.PeerBatch batch : WgCommands.wgSetPeers(name, diff.wgSetArgs(scope::write), batchSize)) {
                invocations++;
                CommandRunner.Result result = runner.run(batch.argv());
                if (result.ok()) {
                    continue;
                }
                if (batch.peers().size() == 1) {
                    peerErrors.put(batch.peers().get(0).publicKey(), result.error());
                    continue;
                }
                // find the culprit(s): the others must still be applied
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
        return invocations;
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
        if (endpoint != null && !peerErrors.containsKey(key) && !Cidrs.endpointIsLiteral(endpoint)) {
            hostEndpoints.put(key, endpoint);
        }
    }

    /** Adds missing and (when the desired state is complete) removes extra site routes. */
    private boolean applyRoutes(DesiredInterface want, Map<String, String> peerErrors) {
        Map<String, String> wanted = new LinkedHashMap<>();
        want.routes().forEach((cidr, owner) -> wanted.put(Cidrs.network(cidr), owner));
        Set<String> have = new LinkedHashSet<>();
        for (String family : List.of("-4", "-6")) {
            CommandRunner.Result shown = runner.run(WgCommands.ipRouteShow(family, want.name()));
            if (!shown.ok()) {
                LOG.warn("{}: cannot list routes: {}", want.name(), shown.error());
                return false;
            }
            for (JsonNode route : readJson(shown.stdout())) {
                have.add(Cidrs.network(route.path("dst").asText()));
            }
        }
        boolean changed = false;
        for (Map.Entry<String, String> route : wanted.entrySet()) {
            if (!have.contains(route.getKey())) {
                changed = true;
                CommandRunner.Result result = runner.run(WgCommands.ipRouteReplace(want.name(), route.getKey()));
                if (!result.ok()) {
                    peerErrors.merge(route.getValue(), "ip route " + route.getKey() + ": " + result.error(), (a, b) -> a + "; " + b);
                }
            }
        }
        if (want.complete()) {
            for (String route : have) {
                if (!wanted.containsKey(route)) {
                    changed = true;
                    CommandRunner.Result result = runner.run(WgCommands.ipRouteDel(want.name(), route));
                    if (!result.ok()) {
                        LOG.warn("{}: cannot remove route {}: {}", want.name(), route, result.error());
                    }
                }
            }
        }
        return changed;
    }

    private Link link(String name) {
        CommandRunner.Result result = runner.run(WgCommands.ipLinkShow(name));
        if (!result.ok()) {
            return null;
        }
        List<JsonNode> nodes = readJson(result.stdout());
        if (nodes.isEmpty()) {
            return null;
        }
        JsonNode node = nodes.get(0);
        boolean up = false;
        for (JsonNode flag : node.path("flags")) {
            up |= "UP".equals(flag.asText());
        }
        String kind = "wireguard".equals(node.path("linkinfo").path("info_kind").asText()) ? "kernel" : "userspace";
        return new Link(kind, node.path("mtu").asInt(), up, node.path("ifalias").asText(""));
    }

    private record Link(String kind, int mtu, boolean up, String alias) {
    }

    private static List<JsonNode> readJson(String text) {
        try {
            JsonNode tree = JSON.readTree(text.isBlank() ? "[]" : text);
            List<JsonNode> nodes = new ArrayList<>();
            tree.forEach(nodes::add);
            return nodes;
        } catch (IOException e) {
            throw new IllegalStateException("unexpected output of ip -j: " + e.getMessage(), e);
        }
    }

    private static void check(CommandRunner.Result result, List<String> errors) {
        if (!result.ok()) {
            errors.add(result.error());
        }
    }

    private ApplyResult failed(String implementation, String error, long start) {
        LOG.warn("interface failed: {}", error);
        return new ApplyResult(implementation, error, Map.of(), null, Set.of(), Set.of(), 0, 0, 0, 0, 0,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and shutdown paths: the wireguard-go process of an interface, if this driver started it. */
    Process userspaceProcess(String name) {
        return userspace.get(name);
    }
}
