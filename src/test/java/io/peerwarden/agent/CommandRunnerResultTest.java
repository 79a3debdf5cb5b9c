package io.peerwarden.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The error text of a tool run may reach a condition message or a log: it must never carry stdout (keys). */
class CommandRunnerResultTest {

    private static final String PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";
    /** What {@code wg show <if> dump} prints: private and preshared keys. */
    private static final String DUMP = PRIVATE_KEY + "\tHIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\t51820\toff\n"
            + "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\t" + PSK + "\t(none)\t10.0.0.2/32\t0\t0\t0\toff\n";

    @Test
    void errorIsStderrTrimmed() {
        assertThat(new CommandRunner.Result(1, DUMP, "  Unable to access interface: No such device\n").error())
                .isEqualTo("Unable to access interface: No such device");
    }

    @Test
    void errorNeverFallsBackToStdout() {
        for (String stderr : new String[] {"", "  \n", null}) {
            String error = new CommandRunner.Result(1, DUMP, stderr).error();

            assertThat(error).isEqualTo("exit code 1").doesNotContain(PRIVATE_KEY).doesNotContain(PSK);
        }
    }

    @Test
    void toStringNeverPrintsStdout() {
        String text = new CommandRunner.Result(0, DUMP, "").toString();

        assertThat(text).doesNotContain(PRIVATE_KEY).doesNotContain(PSK).contains("exitCode=0");
    }
}
