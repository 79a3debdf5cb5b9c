package io.peerwarden.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's logging (src/main/resources/logback.xml): one line per event, naming the resource
 * java-operator-sdk put in the MDC for the reconcile, exceptions folded into the same line.
 */
class LoggingFormatTest {

    private static List<String> logged(String level, java.util.function.Consumer<LoggerContext> events) throws Exception {
        String previous = level == null ? null : System.setProperty("peerwarden.log.level", level);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            events.accept(context);
        } finally {
            System.setErr(err);
            context.stop();
            MDC.clear();
            if (level != null) {
                if (previous == null) {
                    System.clearProperty("peerwarden.log.level");
                } else {
                    System.setProperty("peerwarden.log.level", previous);
                }
            }
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void oneLinePerEventWithTheReconciledResource() throws Exception {
        List<String> lines = logged(null, context -> {
            Logger log = context.getLogger("io.peerwarden.operator.VpnInstanceReconciler");
            MDC.put("resource.kind", "VpnInstance");
            MDC.put("resource.namespace", "team-a");
            MDC.put("resource.name", "office");
            log.info("planned 3 peers\nin 4 ms");
            MDC.clear();
            log.warn("status write failed", new IllegalStateException("409 Conflict", new RuntimeException("stale resourceVersion")));
            log.debug("not shown at the default level");
        });

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  .*VpnInstanceReconciler \\[[^]]+] "
                + "VpnInstance team-a/office planned 3 peers in 4 ms");
        assertThat(lines.get(1)).contains("WARN ", "] status write failed java.lang.IllegalStateException: 409 Conflict | at ",
                "Caused by: java.lang.RuntimeException: stale resourceVersion").doesNotContain("team-a");
    }

    @Test
    void controlCharactersFromASpecAreWrittenVisiblyNotSentToTheTerminal() throws Exception {
        List<String> lines = logged(null, context -> context.getLogger("io.peerwarden.operator.VpnInstanceReconciler")
                .warn("reconcile failed: {}", new IllegalArgumentException("dns[0] is '\u001b[31mred\u0000\u2028PostUp = x'")));

        assertThat(lines).singleElement().asString()
                .contains("dns[0] is '\\u001b[31mred\\u0000\\u2028PostUp = x'")
                .doesNotContain("\u001b", "\u0000", "\u2028");
    }

    @Test
    void theLevelIsThePeerwardenLogLevelProperty() throws Exception {
        List<String> lines = logged("debug", context -> context.getLogger("io.peerwarden.agent.Agent").debug("pass took 2 ms"));
        assertThat(lines).singleElement().asString().contains("DEBUG", "pass took 2 ms");
    }
}
