package io.peerwarden.agent;

import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.PeerwardenOperator;
import io.peerwarden.testing.Closer;
import io.peerwarden.testing.Kubectl;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/install.md's quick start, its kubectl commands read from the document and run as written
 * (in a namespace of their own) on a real kube-apiserver with the built kubectl, the real
 * operator and the real agent on a wireguard-go interface in a network namespace: every command
 * succeeds, so a newcomer's first cluster run ends green and the collision is shown apart.
 */
class QuickStartRealApiIT {

    static final Path INSTALL = Path.of("docs/install.md");
    /** First by name among the nodes labelled kubernetes.io/os=linux, which is where the documented patch sends the instance. */
    private static final String NODE = "a-quickstart-linux";
    private final Closer closer = new Closer();
    private RealCluster cluster;
    private String namespace;
    private NetNs server;

    @BeforeEach
    void setUp() throws IOException {
        Privileged.require();
        cluster = RealCluster.shared();
        namespace = cluster.createNamespace("quickstart");
        closer.add(() -> cluster.deleteNamespace(namespace));
        cluster.ensureNode(NODE, Map.of("kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux"), Map.of());
        closer.add(() -> cluster.admin().nodes().withName(NODE).delete());
        server = closer.add(NetNs.create("pwqsrv"));
        closer.add(PeerwardenOperator.start(cluster.admin(),
                new OperatorSettings(Set.of(namespace), false, null, -1, Duration.ofMinutes(10), 10, 8)));
        KeyFiles keyFiles = closer.add(new KeyFiles(KeyFiles.defaultBase()));
        Path logs = closer.privateDirectory("pwquickstart-");
        Agent agent = new Agent(cluster.admin(), new AgentConfig(NODE, Set.of(namespace), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100), 4), new InterfaceDriver(LogsInto.directory(logs, server.runner()),
                Implementation.AUTO, keyFiles), Clock.systemUTC());
        closer.add(agent);
        agent.start();
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    @Test
    void theQuickStartsCommandsAllSucceed() throws IOException {
        List<List<String>> commands = quickStartCommands();
        assertThat(commands).extracting(c -> String.join(" ", c.subList(0, 2)))
                .contains("kubectl apply", "kubectl patch", "kubectl wait", "kubectl get", "kubectl delete");
        StringBuilder transcript = new StringBuilder();
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command.subList(1, command.size()));
            args.addAll(List.of("-n", namespace));
            Kubectl.Result result = cluster.kubectl(args.toArray(String[]::new));
            transcript.append("$ ").append(String.join(" ", command)).append('\n').append(result.stdout()).append(result.stderr());
            assertThat(result.ok()).as(transcript.toString()).isTrue();
        }
        assertThat(transcript.toString())
                .contains("vpnpeer.vpn.peerwarden.io/alice condition met", "vpnpeer.vpn.peerwarden.io/branch condition met",
                        "vpninstance.vpn.peerwarden.io/office condition met", "vpnpeer.vpn.peerwarden.io/intruder condition met")
                .contains("held by VpnPeer " + namespace + "/branch");
    }

    /** The kubectl lines of the quick start's example steps, split as the shell would (single quotes, comments). */
    static List<List<String>> quickStartCommands() throws IOException {
        String doc = Files.readString(INSTALL);
        String section = doc.substring(doc.indexOf("Create the examples"), doc.indexOf("Get the client's config"));
        List<List<String>> commands = new ArrayList<>();
        for (String line : section.lines().map(String::strip).filter(l -> l.startsWith("kubectl ")).toList()) {
            commands.add(shellWords(line));
        }
        return commands;
    }

    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
