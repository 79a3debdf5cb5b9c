package io.peerwarden.agent;

import io.peerwarden.core.wg.ToolText;

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

        /**
         * The tool's own error text (stderr) {@link ToolText#sanitize sanitized}, else "exit code N". Never stdout: that
         * of {@code wg show <if> dump} holds private and preshared keys, and this text reaches conditions and logs.
         * Sanitized because {@code wg} quotes a bad key file's content in its error.
         */
        public String error() {
            String text = ToolText.sanitize(stderr);
            return text.isEmpty() ? "exit code " + exitCode : text;
        }

        /** Without stdout (it may hold keys). */
        @Override
        public String toString() {
            return "Result[exitCode=" + exitCode + ", stdout=" + (stdout == null ? 0 : stdout.length()) + " chars, stderr="
                    + ToolText.sanitize(stderr) + "]";
        }
    }
}
