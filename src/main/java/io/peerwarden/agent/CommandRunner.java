package io.peerwarden.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs {@code wg}/{@code ip} argument vectors (never through a shell). */
public interface CommandRunner {

    /** Runs a command to completion. Failing to start it is reported as exit code 127 with the reason. */
    Result run(List<String> argv);

    /**
     * Starts a long-running process (wireguard-go in the foreground) with its output appended to {@code log} (a
     * file, not a pipe: it must outlive the agent, and a closed pipe would kill it) and returns its handle.
     */
    Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException;

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The tool's own error text (stderr, else stdout), trimmed. */
        public String error() {
            String text = stderr == null || stderr.isBlank() ? stdout : stderr;
            return text == null || text.isBlank() ? "exit code " + exitCode : text.strip();
        }
    }
}
