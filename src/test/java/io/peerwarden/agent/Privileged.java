package io.peerwarden.agent;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.util.List;

/**
 * Dataplane tests need root, {@code ip netns}, {@code wg} and {@code wireguard-go}. Elsewhere they skip with a clear
 * message; under CI ({@code CI=true}) a would-be skip fails, so they can never silently stop running.
 */
public final class Privileged {

    private static String problem;
    private static boolean checked;

    private Privileged() {
    }

    /** Why dataplane work is impossible here, or empty when it is possible. */
    public static synchronized java.util.Optional<String> problem() {
        if (!checked) {
            checked = true;
            problem = probe();
        }
        return java.util.Optional.ofNullable(problem);
    }

    public static synchronized void require() {
        if (problem().isEmpty()) {
            return;
        }
        String message = "dataplane test needs root, ip netns, wg and wireguard-go: " + problem;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: a skip is a failure)");
        }
        Assumptions.abort(message);
    }

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (user " + System.getProperty("user.name") + ")";
        }
        for (String tool : List.of("ip", "wg", "wireguard-go", "ping")) {
            if (!onPath(tool)) {
                return tool + " is not on the PATH";
            }
        }
        try (NetNs probe = NetNs.create("pwprobe")) {
            return null;
        } catch (RuntimeException e) {
            return "cannot create a network namespace: " + e.getMessage();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
