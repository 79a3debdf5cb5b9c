package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.node.DesiredInterface;
import io.peerwarden.core.wg.WgCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel WireGuard links (kind {@code wireguard}), which this machine cannot create (no module): a CNI's WireGuard
 * link (Cilium's, Calico's) is never changed or deleted, the agent's own is recognised by prefix, alias and kind.
 * The driver runs against a scripted {@code ip}/{@code wg} that records every command.
 */
class KernelLinkOwnershipTest {

    private static final String OWNER = "peerwarden:team-a/office";
    private KeyFiles keyFiles;

    @AfterEach
    void tearDown() {
        if (keyFiles != null) {
            keyFiles.close();
        }
    }

    /** Links by name as {@code ip -d -j link show} prints them; records every command run. */
    private static final class ScriptedIp implements CommandRunner {
        final Map<String, String> links = new LinkedHashMap<>();
        final List<List<String>> runs = new ArrayList<>();

        void link(String name, String kind, String alias) {
            links.put(name, "{\"ifname\":\"" + name + "\",\"mtu\":1420,\"flags\":[\"UP\"],\"ifalias\":\"" + alias
                    + "\",\"linkinfo\":{\"info_kind\":\"" + kind + "\"}}");
        }

        @Override
        public Result run(List<String> argv) {
            runs.add(argv);
            if (argv.equals(WgCommands.ipLinkShowAll())) {
                return new Result(0, "[" + String.join(",", links.values()) + "]", "");
            }
            if (argv.size() == 7 && argv.equals(WgCommands.ipLinkShow(argv.get(6)))) {
                String link = links.get(argv.get(6));
                return link == null ? new Result(1, "", "Device \"" + argv.get(6) + "\" does not exist.") : new Result(0, "[" + link + "]", "");
            }
            if (argv.equals(WgCommands.ipLinkAddWireguard("pw-office"))) {
                link("pw-office", "wireguard", "");
                return new Result(0, "", "");
            }
            if (argv.equals(WgCommands.ipLinkSetAlias("pw-office", OWNER))) {
                link("pw-office", "wireguard", OWNER);
                return new Result(0, "", "");
            }
            if (argv.equals(WgCommands.wgShowDump("pw-office"))) {
                return new Result(0, "(none)\t(none)\t0\toff\n", "");
            }
            return new Result(0, argv.contains("-j") ? "[]" : "", "");
        }

        @Override
        public Process start(List<String> argv, Map<String, String> extraEnv, Path log) {
            throw new UnsupportedOperationException("no wireguard-go in kernel mode");
        }

        /** Every command that is not a read. */
        List<List<String>> changes() {
            return runs.stream().filter(argv -> !argv.contains("show")).toList();
        }
    }

    private InterfaceDriver driver(ScriptedIp ip) throws Exception {
        keyFiles = new KeyFiles(Files.createTempDirectory("pwkeys"));
        return new InterfaceDriver(ip, Implementation.KERNEL, keyFiles);
    }

    private static DesiredInterface office() {
        return new DesiredInterface("pw-office", OWNER, TestKeys.generate().privateKey(), 51820, List.of("10.24.0.1/24"), null,
                List.of(), Map.of(), true, Set.of());
    }

    @Test
    void aCnisWireGuardLinkOfTheInstancesNameIsNeitherChangedNorDeleted() throws Exception {
        ScriptedIp ip = new ScriptedIp();
        ip.link("pw-office", "wireguard", "");
        InterfaceDriver driver = driver(ip);

        ApplyResult result = driver.apply(office());
        driver.teardown("pw-office");

        assertThat(result.interfaceReason()).isEqualTo(Reasons.INTERFACE_IN_USE);
        assertThat(result.interfaceError()).contains("pw-office", "kind wireguard, no alias");
        assertThat(ip.changes()).isEmpty();
        assertThat(ip.runs).noneMatch(argv -> argv.get(0).equals("wg"));
        assertThat(driver.managedInterfaces()).isEmpty();
    }

    @Test
    void theAgentsOwnKernelLinkIsCreatedMarkedAndRecognisedAmongForeignOnes() throws Exception {
        ScriptedIp ip = new ScriptedIp();
        ip.link("cilium_wg0", "wireguard", "");
        ip.link("pw-bridge", "bridge", "peerwarden:team-a/gone");
        ip.link("wg-old", "wireguard", "peerwarden:team-a/old");
        ip.link("pw-cali", "wireguard", "calico");
        InterfaceDriver driver = driver(ip);

        ApplyResult result = driver.apply(office());

        assertThat(result.interfaceError()).isNull();
        assertThat(result.implementation()).isEqualTo("kernel");
        assertThat(ip.runs).containsSubsequence(WgCommands.ipLinkAddWireguard("pw-office"), WgCommands.ipLinkSetAlias("pw-office", OWNER));
        assertThat(driver.managedInterfaces()).containsExactly(Map.entry("pw-office", OWNER));

        ip.runs.clear();
        for (String foreign : List.of("cilium_wg0", "pw-bridge", "wg-old", "pw-cali")) {
            driver.teardown(foreign);
        }
        assertThat(ip.changes()).isEmpty();
        driver.teardown("pw-office");
        assertThat(ip.changes()).containsExactly(WgCommands.ipLinkDel("pw-office"));
    }
}
