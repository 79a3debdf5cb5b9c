package io.peerwarden;

import io.peerwarden.testing.QrImages;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.operator.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/** `peerwarden config <peer>` gives a user the config and QR code the operator rendered. */
class ConfigCommandTest {

    private OperatorHarness harness;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        harness = new OperatorHarness().startOperator();
        harness.create(instance("office", "10.24.0.1/24", "fd00:24::1/64"));
        harness.create(peer("alice", "office", "client"));
        harness.awaitPeer("alice", rendered());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private int run(String... args) {
        return new CommandLine(new ConfigCommand(harness.admin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    }

    @Test
    void printsExactlyTheRenderedConfig() {
        assertThat(run("alice", "-n", OperatorHarness.NS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(decoded(harness.secret("alice-wireguard").orElseThrow(), Labels.CONFIG))
                .contains("[Interface]").contains("PrivateKey = ");
    }

    @Test
    void theSecretsQrCodeDecodesBackToTheExactConfig(@TempDir Path dir) throws Exception {
        String config = decoded(harness.secret("alice-wireguard").orElseThrow(), Labels.CONFIG);
        byte[] stored = Base64.getDecoder().decode(harness.secret("alice-wireguard").orElseThrow().getData().get(Labels.CONFIG_QR));
        assertThat(decodeQr(stored)).isEqualTo(config);

        Path png = dir.resolve("alice.png");
        assertThat(run("alice", "-n", OperatorHarness.NS, "--png", png.toString())).isZero();
        assertThat(decodeQr(Files.readAllBytes(png))).isEqualTo(config);
    }

    @Test
    void thePngHoldingThePrivateKeyIsReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("alice.png");
        assertThat(run("alice", "-n", OperatorHarness.NS, "--png", fresh.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");

        // a file already there with a wider mode is replaced by an owner-only one, not rewritten in place
        Path existing = dir.resolve("old.png");
        Files.write(existing, new byte[]{1, 2, 3});
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("alice", "-n", OperatorHarness.NS, "--png", existing.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");
        assertThat(decodeQr(Files.readAllBytes(existing)))
                .isEqualTo(decoded(harness.secret("alice-wireguard").orElseThrow(), Labels.CONFIG));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("alice.png", "old.png");
        }
    }

    @Test
    void terminalQrCodeIsDrawnWithBlocks() {
        assertThat(run("alice", "-n", OperatorHarness.NS, "--qr")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("█").doesNotContain("PrivateKey");
    }

    @Test
    void aMissingPeerIsAClearErrorNotAStackTrace() {
        assertThat(run("nobody", "-n", OperatorHarness.NS)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("VpnPeer default/nobody does not exist");
    }

    private static String decodeQr(byte[] png) throws Exception {
        return QrImages.decode(png);
    }
}
