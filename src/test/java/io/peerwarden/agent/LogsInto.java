package io.peerwarden.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A runner whose long-running processes (wireguard-go) log into a given directory, a test's or
 * the demo's private one that is removed afterwards, instead of where the agent puts its logs
 * (java.io.tmpdir), so that nothing is left in /tmp.
 */
public final class LogsInto {

    private LogsInto() {
    }

    public static CommandRunner directory(Path dir, CommandRunner runner) {
        return new CommandRunner() {
            @Override
            public Result run(List<String> argv) {
                return runner.run(argv);
            }

            @Override
            public Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
                return runner.start(argv, extraEnv, dir.resolve(log.getFileName()));
            }
        };
    }
}
