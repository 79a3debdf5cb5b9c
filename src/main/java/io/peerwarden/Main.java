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

    /** The JDK's property for the common fork-join pool's size; read once, when that pool is first used. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        commonPoolOfAtLeastTwo();
        System.exit(commandLine().execute(args));
    }

    /**
     * CompletableFuture's async steps run on the common pool only when its parallelism is at least 2; below that, on
     * any 2-CPU machine (parallelism = CPUs - 1), they start a new thread for every task: the client's HTTP responses
     * started one thread each, 20,017 in a 10,000-peer rollout. Set before anything touches the pool; an explicit
     * -D setting wins.
     */
    static void commonPoolOfAtLeastTwo() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
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
