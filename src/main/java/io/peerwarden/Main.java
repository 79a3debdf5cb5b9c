package io.peerwarden;

import io.peerwarden.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of the jar: {@code java -jar peerwarden.jar <operator|agent|config|api|share>}. */
@Command(name = "peerwarden", mixinStandardHelpOptions = true, version = "peerwarden 0.1.0",
        description = "WireGuard VPNs from Kubernetes custom resources.",
        subcommands = {OperatorCommand.class, io.peerwarden.agent.AgentCommand.class, ConfigCommand.class, ApiCommand.class,
                io.peerwarden.share.ShareCommand.class})
public class Main implements Runnable {

    /** Exit code of a {@link UserError}: no cluster, unreachable server and the like. */
    public static final int USER_ERROR = 1;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@link #main} runs it: a {@link UserError} is printed as its one
     * sentence on stderr (no stack trace) and exits with {@link #USER_ERROR}.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError) {
                line.getErr().println("peerwarden " + line.getCommandName() + ": " + e.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
