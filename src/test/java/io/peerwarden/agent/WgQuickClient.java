package io.peerwarden.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What a user does with a rendered wg-quick config, done by hand inside a network namespace (the
 * real wg-quick would also touch the host's DNS): a wireguard-go interface, {@code wg-quick strip}
 * then {@code wg setconf}, the first Address, the IPv4 AllowedIPs as routes.
 */
public final class WgQuickClient {

    private WgQuickClient() {
    }

    /** @return the wireguard-go process; stop it to remove the interface */
    public static Process bringUp(NetNs ns, String iface, String config, Path privateDir) throws IOException {
        Path file = privateDir.resolve(iface + ".conf");
        Files.writeString(file, config);
        Process wgGo = ns.runner().start(List.of("wireguard-go", iface), Map.of("WG_PROCESS_FOREGROUND", "1"),
                privateDir.resolve(iface + ".log"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ns.execResult("ip", "link", "show", "dev", iface).ok());
            Path stripped = privateDir.resolve(iface + ".stripped");
            Files.writeString(stripped, ns.exec("wg-quick", "strip", file.toString()));
            ns.exec("wg", "setconf", iface, stripped.toString());
            String address = value(config, "Address").split(",")[0].trim();
            ns.exec("ip", "address", "add", address, "dev", iface);
            ns.exec("ip", "link", "set", iface, "up");
            for (String route : value(config, "AllowedIPs").split(",")) {
                if (route.trim().contains(".")) {
                    ns.exec("ip", "route", "replace", route.trim(), "dev", iface);
                }
            }
            return wgGo;
        } catch (RuntimeException | Error e) {
            wgGo.destroy();
            throw e;
        }
    }

    private static String value(String config, String key) {
        return config.lines().filter(l -> l.startsWith(key + " = ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("config has no " + key))
                .substring(key.length() + 3);
    }
}
