package io.peerwarden.agent;

import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The scenario of {@link SecretsStaySecretIT} (CRUD mock) and {@link SecretsStaySecretRealApiIT} (real
 * kube-apiserver). No private or preshared key, nor a secret token a user put where a key belongs, ever appears in a
 * log line, an Event, a status, or an argument vector the agent ran: the real operator (against the
 * CRUD mock) and the real agent (real wg in a network namespace), through the happy path and the
 * failure paths (a Secret holding garbage instead of a key, for a peer and for an instance; a key
 * that does not match; a wg set failure; a collision; a preshared key from a Secret).
 */
abstract class SecretsStaySecretScenario {

    /** 43 characters that look like a key in a Secret but are not one: what must never be echoed. */
    private static final String TOKEN = "s3cr3t-T0ken-0f-an-unrelated-app-xyzxyzxyz1";
    private static final Pattern CONFIG_KEY = Pattern.compile("(?m)^(PrivateKey|PresharedKey) = (\\S+)$");

    @RegisterExtension
    final DataplaneFixture dataplane = new DataplaneFixture();
    private NetNs server;
    /** Every version of every VpnPeer, VpnInstance and Event the run wrote, as watched. */
    private final List<String> watched = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<List<String>> argvs = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    line.append(" at ").append(frame.getSTEAsString());
                }
            }
            logLines.add(line.toString());
        }
    };

    private ch.qos.logback.classic.Level level;
    private ch.qos.logback.core.Appender<ILoggingEvent> console;

    @BeforeEach
    void setUp() {
        // every line at every level (the agent logs each argv at debug), captured here instead of printed
        level = root.getLevel();
        console = root.getAppender("STDERR");
        if (console != null) {
            root.detachAppender(console);
        }
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        startCluster();
        watch(VpnPeer.class);
        watch(VpnInstance.class);
        watch(io.fabric8.kubernetes.api.model.events.v1.Event.class);
        watch(io.fabric8.kubernetes.api.model.Event.class);
        startOperator();
        server = dataplane.netns("pwssrv");
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void watch(Class<T> type) {
        dataplane.add(admin().resources(type).inNamespace(namespace()).watch(new io.fabric8.kubernetes.client.Watcher<T>() {
            @Override
            public void eventReceived(Action action, T resource) {
                watched.add(Serialization.asJson(resource));
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        }));
    }

    /** Sets up the API server (before the log capture starts the operator). */
    abstract void startCluster();

    abstract void startOperator();

    abstract KubernetesClient admin();

    abstract String namespace();

    /** A client for the agent. */
    abstract KubernetesClient agentClient();

    /** Request bodies of the writes this API server recorded (all but Secrets), or none where it records none. */
    abstract List<String> recordedWrites();

    private void create(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        resource.getMetadata().setNamespace(namespace());
        admin().resource(resource).create();
    }

    private VpnPeer awaitPeer(String name, java.util.function.Predicate<VpnPeer> predicate) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin().resources(VpnPeer.class).inNamespace(namespace()).withName(name).get(), p -> p != null && predicate.test(p));
    }

    private VpnInstance awaitInstance(String name, java.util.function.Predicate<VpnInstance> predicate) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin().resources(VpnInstance.class).inNamespace(namespace()).withName(name).get(), i -> i != null && predicate.test(i));
    }

    @AfterEach
    void detach() {
        root.detachAppender(appender);
        root.setLevel(level);
        if (console != null) {
            root.addAppender(console);
        }
    }

    /** Records every argv the agent runs (and every process it starts) before running it in the namespace. */
    private CommandRunner recording(CommandRunner inner) {
        return new CommandRunner() {
            @Override
            public Result run(List<String> argv) {
                argvs.add(List.copyOf(argv));
                return inner.run(argv);
            }

            @Override
            public Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
                argvs.add(List.copyOf(argv));
                return inner.start(argv, extraEnv, log);
            }
        };
    }

    private void userSecret(String name, String key, String value) {
        admin().resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace()).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).build()).create();
    }

    @Test
    void noKeyAppearsInLogsEventsStatusesOrArgvThroughHappyAndFailurePaths() {
        VpnInstance office = instance("office", "10.84.0.1/24");
        office.getSpec().setInterfaceName(DataplaneFixture.interfaceName("pws"));
        office.getSpec().setEndpoint("vpn.example.com");
        office.getSpec().setListenPort(51860);
        create(office);
        // an instance whose key Secret holds a token, not a key
        userSecret("broken-key", "privateKey", TOKEN);
        VpnInstance broken = instance("broken", "10.85.0.1/24");
        broken.getSpec().setInterfaceName(DataplaneFixture.interfaceName("pwb"));
        broken.getSpec().setListenPort(51861);
        broken.getSpec().setPrivateKeySecretRef(new SecretKeyRef("broken-key", "privateKey"));
        create(broken);

        VpnPeer laptop = peer("laptop", "office", "client");
        laptop.getSpec().setAllowedIPs(List.of("10.84.0.5/32"));
        create(laptop);
        // the user's own private key and preshared key, from Secrets
        String ownKey = WireGuardKeys.generatePrivateKey();
        userSecret("own-key", "privateKey", ownKey);
        userSecret("own-psk", "presharedKey", WireGuardKeys.generatePresharedKey());
        VpnPeer own = peer("own", "office", "client");
        own.getSpec().setPrivateKeySecretRef(new SecretKeyRef("own-key", null));
        own.getSpec().setPresharedKey(new PresharedKeySpec(PresharedKeySpec.SECRET, new SecretKeyRef("own-psk", null)));
        create(own);
        // a peer whose key Secret holds the token, and one whose key does not match its public key
        userSecret("mallory-key", "privateKey", TOKEN);
        VpnPeer mallory = peer("mallory", "office", "client");
        mallory.getSpec().setPrivateKeySecretRef(new SecretKeyRef("mallory-key", null));
        create(mallory);
        userSecret("mismatch-key", "privateKey", WireGuardKeys.generatePrivateKey());
        VpnPeer mismatch = peer("mismatch", "office", "client");
        mismatch.getSpec().setPrivateKeySecretRef(new SecretKeyRef("mismatch-key", null));
        mismatch.getSpec().setPublicKey(WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey()));
        create(mismatch);
        // wg cannot resolve this endpoint: WgSetFailed
        VpnPeer unreachable = peer("unreachable", "office", "site");
        unreachable.getSpec().setEndpoint("nonexistent.invalid:51820");
        create(unreachable);
        // a collision: the younger peer asks for laptop's address
        awaitPeer("laptop", condition(ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID));
        io.peerwarden.testing.CreationTimestamps.awaitSecondAfter(admin().resources(VpnPeer.class).inNamespace(namespace()).withName("laptop").get());
        VpnPeer intruder = peer("intruder", "office", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.84.0.5/32"));
        create(intruder);

        dataplane.startAgent(agentClient(), recording(server.runner()), "worker-1", Set.of(namespace()));

        awaitPeer("laptop", condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY));
        awaitPeer("own", condition(ConditionTypes.READY, Conditions.TRUE, Reasons.READY));
        awaitPeer("mallory", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INVALID_KEY));
        awaitPeer("mismatch", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.KEY_MISMATCH));
        awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        awaitPeer("unreachable", condition(ConditionTypes.APPLIED, Conditions.FALSE, Reasons.WG_SET_FAILED));
        awaitInstance("broken", i -> i.getStatus() != null
                && Conditions.find(i.getStatus().getConditions(), ConditionTypes.KEY_READY).map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false)
                // the operator publishes no key that is not one, so neither the agent nor wg ever saw the token
                && Conditions.find(i.getStatus().getConditions(), ConditionTypes.APPLIED).map(c -> Reasons.KEY_NOT_PUBLISHED.equals(c.getReason())).orElse(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> events().stream().anyMatch(e -> e.contains(Reasons.WG_SET_FAILED)));
        // a few more agent passes over the failures
        int passes = argvs.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> argvs.size() > passes + 10);

        Set<String> secrets = secretValues();
        assertThat(secrets).as("keys collected from the run's Secrets").hasSizeGreaterThanOrEqualTo(8).contains(TOKEN, ownKey);
        List<String> written = new ArrayList<>(recordedWrites());
        written.addAll(watched);
        List<String> statuses = new ArrayList<>();
        admin().resources(VpnPeer.class).inNamespace(namespace()).list().getItems().forEach(p -> statuses.add(Serialization.asJson(p)));
        admin().resources(VpnInstance.class).inNamespace(namespace()).list().getItems().forEach(i -> statuses.add(Serialization.asJson(i)));

        assertThat(watched).as("every version of the peers, instances and Events, as watched").hasSizeGreaterThan(20);
        assertThat(logLines).as("log lines").isNotEmpty();
        for (String secret : secrets) {
            String shown = secret.substring(0, 6) + "...";
            assertThat(logLines).as("log lines holding %s", shown).noneMatch(l -> l.contains(secret));
            assertThat(written).as("writes holding %s", shown).noneMatch(b -> b != null && b.contains(secret));
            assertThat(events()).as("Events holding %s", shown).noneMatch(e -> e.contains(secret));
            assertThat(statuses).as("resources holding %s", shown).noneMatch(s -> s.contains(secret));
            assertThat(argvs).as("argv holding %s", shown).noneMatch(argv -> argv.stream().anyMatch(a -> a.contains(secret)));
        }
    }

    private List<String> events() {
        List<String> all = new ArrayList<>();
        admin().events().v1().events().inNamespace(namespace()).list().getItems().forEach(e -> all.add(Serialization.asJson(e)));
        admin().v1().events().inNamespace(namespace()).list().getItems().forEach(e -> all.add(Serialization.asJson(e)));
        return all;
    }

    /** Every private and preshared key (and the token) in the namespace's Secrets, as text and in the configs. */
    private Set<String> secretValues() {
        Set<String> values = new TreeSet<>();
        for (Secret secret : admin().secrets().inNamespace(namespace()).list().getItems()) {
            if (secret.getData() == null) {
                continue;
            }
            secret.getData().forEach((key, b64) -> {
                String value = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).strip();
                if (key.toLowerCase().contains("private") || key.toLowerCase().contains("preshared")) {
                    values.add(value);
                }
                Matcher m = CONFIG_KEY.matcher(value);
                while (m.find()) {
                    values.add(m.group(2));
                }
            });
        }
        return values;
    }
}
