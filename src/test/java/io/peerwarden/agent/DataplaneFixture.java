package io.peerwarden.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.core.wg.LinkOwnership;
import io.peerwarden.testing.Closer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the dataplane tests share: throwaway network namespaces, the node agent wired as
 * {@code agent} wires it (key files, interface driver, config, agent), wg-quick style clients, a
 * private directory for their configs, and closing all of it in reverse order. The one place tests
 * construct the agent: a change to how the agent is put together is made here.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension final DataplaneFixture dataplane = new DataplaneFixture();})
 * it checks {@link Privileged} before each test (a skip, or a failure under {@code CI=true}) and closes
 * everything created through it or handed to {@link #add} after each. A test class with its own
 * {@link Closer} passes that instead and calls {@link Privileged#require()} itself.
 */
public final class DataplaneFixture implements BeforeEachCallback, AfterEachCallback {

    /** Agent timings for tests: resync and counter refresh each second, a 100 ms debounce, 4 workers. */
    public static final Duration RESYNC = Duration.ofSeconds(1);
    public static final Duration COUNTER_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEBOUNCE = Duration.ofMillis(100);
    public static final int WORKERS = 4;

    private final Closer closer;
    private KeyFiles keyFiles;
    private Path privateDirectory;

    /** For {@code @RegisterExtension}: owns its closer, closed after each test. */
    public DataplaneFixture() {
        this(new Closer());
    }

    /** Adds what it creates to {@code closer}, which its owner closes. */
    public DataplaneFixture(Closer closer) {
        this.closer = closer;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Privileged.require();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closer.close();
    }

    /** Closed after the test, before everything added earlier. */
    public <T extends AutoCloseable> T add(T resource) {
        return closer.add(resource);
    }

    /** A fresh network namespace ({@code prefix-xxxxxx}), deleted after the test with the processes in it. */
    public NetNs netns(String prefix) {
        return add(NetNs.create(prefix));
    }

    /** An interface name unlikely to clash with a leftover of another run: {@code prefix} and six hex digits. */
    public static String interfaceName(String prefix) {
        return prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }

    /** The real agent for {@code node}, watching {@code namespaces}, driving interfaces inside {@code where}; started. */
    public Agent startAgent(KubernetesClient client, NetNs where, String node, Set<String> namespaces) {
        return startAgent(client, where.runner(), node, namespaces);
    }

    /** As above, reading node keys in {@code releaseNamespace} (where the operator publishes them). */
    public Agent startAgent(KubernetesClient client, NetNs where, String node, Set<String> namespaces, String releaseNamespace) {
        return startAgent(client, where.runner(), node, namespaces, releaseNamespace, LinkOwnership.DEFAULT_PREFIX);
    }

    /** As above, running its commands through {@code runner} (a test may read the runner's invocations). */
    public Agent startAgent(KubernetesClient client, CommandRunner runner, String node, Set<String> namespaces) {
        return startAgent(client, runner, node, namespaces, null, LinkOwnership.DEFAULT_PREFIX);
    }

    /**
     * The real agent; {@code releaseNamespace} null: node keys in the client's namespace; owning the link names that
     * start with {@code interfacePrefix} (the agent's --interface-prefix).
     */
    public Agent startAgent(KubernetesClient client, CommandRunner runner, String node, Set<String> namespaces, String releaseNamespace,
                            String interfacePrefix) {
        AgentConfig config = new AgentConfig(node, namespaces, RESYNC, COUNTER_INTERVAL, DEBOUNCE, WORKERS, releaseNamespace, interfacePrefix);
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles(), InterfaceDriver.DEFAULT_BATCH_SIZE,
                config.interfacePrefix());
        Agent agent = add(new Agent(client, config, driver, Clock.systemUTC()));
        agent.start();
        return agent;
    }

    /** The real agent with the given configuration (its own intervals), running its commands through {@code runner}; started. */
    public Agent startAgent(KubernetesClient client, CommandRunner runner, AgentConfig config) {
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles(), InterfaceDriver.DEFAULT_BATCH_SIZE,
                config.interfacePrefix());
        Agent agent = add(new Agent(client, config, driver, Clock.systemUTC()));
        agent.start();
        return agent;
    }

    /**
     * The real agent as {@code peerwarden agent} wires it with its dataplane extras: forwarding, NAT and access rules
     * (nftables through {@code runner}) and metrics; started.
     */
    public Agent startAgentWithFirewall(KubernetesClient client, CommandRunner runner, String node, Set<String> namespaces,
                                        io.peerwarden.agent.metrics.AgentMetrics metrics) throws IOException {
        InterfaceDriver driver = new InterfaceDriver(runner, Implementation.AUTO, keyFiles());
        Agent agent = add(new Agent(client, new AgentConfig(node, namespaces, RESYNC, COUNTER_INTERVAL, DEBOUNCE, WORKERS),
                driver, Clock.systemUTC()));
        agent.withFirewall(new FirewallDriver(runner, privateDirectory(), Duration.ZERO)).withMetrics(metrics);
        agent.start();
        return agent;
    }

    /**
     * Brings up a wireguard-go interface in {@code ns} from a wg-quick style config (a peer's rendered
     * Secret, say); the process is stopped after the test.
     */
    public void bringUpClient(NetNs ns, String iface, String config) throws IOException {
        Process wgGo = WgQuickClient.bringUp(ns, iface, config, privateDirectory());
        add(wgGo::destroy);
    }

    /** Where key-bearing client configs go: readable by its owner only, removed after the test. */
    public Path privateDirectory() throws IOException {
        if (privateDirectory == null) {
            privateDirectory = closer.privateDirectory("peerwarden-dataplane-");
        }
        return privateDirectory;
    }

    private KeyFiles keyFiles() {
        if (keyFiles == null) {
            keyFiles = add(new KeyFiles(KeyFiles.defaultBase()));
        }
        return keyFiles;
    }
}
