package io.peerwarden;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of the jar: {@code java -jar peerwarden.jar <operator|agent|...>}. */
@Command(name = "peerwarden", mixinStandardHelpOptions = true, version = "peerwarden 0.1.0",
        description = "WireGuard VPNs from Kubernetes custom resources.",
        subcommands = {OperatorCommand.class, io.peerwarden.agent.AgentCommand.class, ConfigCommand.class})
public class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
