package io.peerwarden;

import io.peerwarden.cli.UserError;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code peerwarden api}'s options: plain HTTP by default, TLS only with both PEM files, share links off by default. */
class ApiCommandTest {

    private static ApiCommand parse(String... args) {
        ApiCommand command = new ApiCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsServePlainHttpOn8443WithBoundedBodies() {
        var settings = parse().settings();
        assertThat(settings.server().port()).isEqualTo(8443);
        assertThat(settings.server().tls()).isNull();
        assertThat(settings.server().maxBody()).isEqualTo(64 * 1024);
        assertThat(settings.settle()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.docBase()).endsWith("docs/api.md");
    }

    @Test
    void aCertificateWithoutItsKeyIsAUserError() {
        assertThatThrownBy(() -> parse("--tls-cert", "/tmp/tls.crt").settings()).isInstanceOf(UserError.class)
                .hasMessageContaining("--tls-key");
        assertThatThrownBy(() -> parse("--tls-cert", "/nonexistent/tls.crt", "--tls-key", "/nonexistent/tls.key").settings())
                .isInstanceOf(UserError.class).hasMessageContaining("cannot read");
    }

    @Test
    void shareLinksAreOffByDefaultWithAnHourAndAShareTtlOutOfBoundsIsAUserErrorBeforeAnyConnection() {
        ApiCommand defaults = parse();
        assertThat(defaults.shareLinks).isFalse();
        assertThat(defaults.shareTtl).isEqualTo(Duration.ofHours(1));
        ApiCommand on = parse("--share-links", "--share-ttl", "20m");
        assertThat(on.shareLinks).isTrue();
        assertThat(on.shareTtl).isEqualTo(Duration.ofMinutes(20));
        on.settings();
        for (String ttl : new String[] {"30s", "169h"}) {
            assertThatThrownBy(() -> parse("--share-links", "--share-ttl", ttl).settings()).isInstanceOf(UserError.class)
                    .hasMessage("--share-ttl must be between 1m and 168h (7 days); the default is 1h.");
        }
    }
}
