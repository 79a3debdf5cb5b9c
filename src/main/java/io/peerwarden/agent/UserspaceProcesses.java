package io.peerwarden.agent;

import io.peerwarden.core.wg.WgCommands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The wireguard-go processes the agent started, one per userspace interface (the interface lives in its process).
 * Runs them in the foreground so the agent keeps the handle; their output goes to a log file in the temp directory.
 */
final class UserspaceProcesses {

    private final CommandRunner runner;
    private final Duration startTimeout = Duration.ofSeconds(10);
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    UserspaceProcesses(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * Starts wireguard-go for {@code name} (stopping one this holder started before) and waits until
     * {@code linkExists} sees the interface.
     *
     * @param kernelError why the kernel module could not be used, added to errors; null when it was not tried
     * @return null once the interface exists, else why it does not
     */
    String start(String name, String kernelError, Predicate<String> linkExists) {
        stop(name);
        Process process;
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "peerwarden-wireguard-go-" + name + ".log");
        try {
            // foreground: the agent keeps the handle (wireguard-go daemonizes otherwise)
            process = runner.start(WgCommands.wireguardGo(name), Map.of("WG_PROCESS_FOREGROUND", "1"), log);
        } catch (IOException e) {
            return "cannot start wireguard-go: " + e.getMessage() + (kernelError == null ? "" : " (kernel: " + kernelError + ")");
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "wireguard-go " + name + " exited with code " + process.exitValue() + tail(log)
                        + (kernelError == null ? "" : " (kernel: " + kernelError + ")");
            }
            if (linkExists.test(name)) {
                processes.put(name, process);
                return null;
            }
            sleep(50);
        }
        process.destroy();
        return "wireguard-go " + name + " did not create the interface within " + startTimeout.toSeconds() + "s";
    }

    /** Stops the wireguard-go of {@code name}, if this holder started it. */
    void stop(String name) {
        Process process = processes.remove(name);
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

    /** Forgets every handle and leaves the processes running (their interfaces keep their sessions). */
    void forgetAll() {
        processes.clear();
    }

    /** The wireguard-go process of an interface, if this holder started it; else null. */
    Process process(String name) {
        return processes.get(name);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : ": " + String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
