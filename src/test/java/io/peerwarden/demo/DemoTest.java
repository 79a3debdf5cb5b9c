package io.peerwarden.demo;

import io.peerwarden.agent.Privileged;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The first-run demo works as the README promises: Ready peers and a handshake through a real tunnel. */
class DemoTest {

    @Test
    void theDemoShowsReadyPeersAHandshakeAndAClientConfig() throws Exception {
        Privileged.require();
        Instant start = Instant.now().minusSeconds(1);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Path dir;
        String agentLog;
        try (Demo demo = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
            demo.run();
            dir = demo.directory();
            assertThat(dir).isNotNull();
            List<String> logs;
            try (Stream<Path> files = Files.list(dir)) {
                logs = files.map(f -> f.getFileName().toString()).toList();
            }
            assertThat(logs).as("both wireguard-go logs in the private directory").contains("pwdemo0.log");
            agentLog = logs.stream().filter(f -> f.startsWith("peerwarden-wireguard-go-")).findFirst().orElseThrow();
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("ping 10.24.0.1 (the server) through the tunnel: ok").contains("latest handshake 20");
        assertThat(output.lines().filter(l -> l.startsWith("alice ")).findFirst().orElseThrow())
                .contains("client").contains("10.24.0.2/32").contains("true").contains("True");
        assertThat(output.lines().filter(l -> l.startsWith("intruder ")).findFirst().orElseThrow()).contains("AllowedIPTaken");
        assertThat(output).contains("[Interface]").contains("PrivateKey = ").contains("Endpoint = vpn.example.com:51830");

        List<Map<String, String>> instances = table(output, "NAME", "NODE");
        List<Map<String, String>> peers = table(output, "NAME", "TYPE");
        assertThat(instances).isNotEmpty();
        assertThat(peers).hasSizeGreaterThanOrEqualTo(3);
        assertThat(instances).extracting(r -> r.get("NAME")).as("sorted by name, as kubectl prints").isSorted();
        assertThat(peers).extracting(r -> r.get("NAME")).as("sorted by name, as kubectl prints").isSorted();
        for (Map<String, String> instance : instances) {
            long connected = peers.stream().filter(p -> p.get("INSTANCE").equals(instance.get("NAME")))
                    .filter(p -> p.get("CONNECTED").equals("true")).count();
            assertThat(instance.get("CONNECTED")).as("the instance's count agrees with its peers' column")
                    .isEqualTo(String.valueOf(connected));
        }

        assertThat(dir).as("the private directory is removed").doesNotExist();
        Path inTmp = Path.of(System.getProperty("java.io.tmpdir")).resolve(agentLog);
        assertThat(Files.exists(inTmp) && modifiedAfter(inTmp, start)).as("the agent's wireguard-go log was not written to " + inTmp)
                .isFalse();
    }

    private static boolean modifiedAfter(Path file, Instant instant) {
        try {
            return Files.getLastModifiedTime(file).compareTo(FileTime.from(instant)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The rows of the fixed-width table whose header starts with these two columns, as column → value. */
    static List<Map<String, String>> table(String output, String first, String second) {
        List<String> lines = output.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().split("\\s+");
            if (words.length > 1 && words[0].equals(first) && words[1].equals(second)) {
                header = i;
                break;
            }
        }
        assertThat(header).as("a table headed " + first + " " + second).isNotNegative();
        String head = lines.get(header);
        List<String> names = List.of(head.trim().split("\\s+"));
        List<Integer> starts = new ArrayList<>();
        for (String name : names) {
            starts.add(head.indexOf(name, starts.isEmpty() ? 0 : starts.get(starts.size() - 1) + 1));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = header + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String line = lines.get(i);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                int from = Math.min(starts.get(c), line.length());
                int to = c + 1 < names.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                row.put(names.get(c), line.substring(from, to).trim());
            }
            rows.add(row);
        }
        return rows;
    }
}
