package io.peerwarden;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.cli.ClusterAccess;
import io.peerwarden.core.status.Conditions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code peerwarden config <peer>}: prints a peer's WireGuard config, or its QR code, from the peer's Secret. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print a VpnPeer's WireGuard config (or its QR code) from the Secret the operator rendered.")
public class ConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Name of the VpnPeer.")
    String peerName;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the peer (default: the kubeconfig context's, else default).")
    String namespace;

    @Option(names = "--qr", description = "Draw the config as a QR code in the terminal (scan it with the WireGuard app).")
    boolean qr;

    @Option(names = "--png", paramLabel = "FILE", description = "Save the QR code as a PNG file instead of printing the config.")
    Path png;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final KubernetesClient injected;
    private final PrintStream out;
    private final PrintStream err;

    public ConfigCommand() {
        this(null, System.out, System.err);
    }

    ConfigCommand(KubernetesClient client, PrintStream out, PrintStream err) {
        this.injected = client;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        KubernetesClient client = injected != null ? injected : ClusterAccess.connect();
        try {
            String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
            VpnPeer peer = client.resources(VpnPeer.class).inNamespace(ns).withName(peerName).get();
            if (peer == null) {
                err.println("VpnPeer " + ns + "/" + peerName + " does not exist.");
                return 2;
            }
            String secretName = peer.getStatus() != null && peer.getStatus().getConfigSecretName() != null
                    ? peer.getStatus().getConfigSecretName() : Labels.peerConfigSecretName(peerName);
            Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
            if (secret == null || secret.getData() == null || secret.getData().get(Labels.CONFIG) == null) {
                String why = peer.getStatus() == null ? "the operator has not processed it yet"
                        : Conditions.find(peer.getStatus().getConditions(), ConditionTypes.READY)
                        .map(c -> c.getReason() + ": " + c.getMessage()).orElse("no status yet");
                err.println("VpnPeer " + ns + "/" + peerName + " has no rendered config (" + why + ").");
                return 3;
            }
            String config = new String(Base64.getDecoder().decode(secret.getData().get(Labels.CONFIG)), StandardCharsets.UTF_8);
            if (png != null) {
                String stored = secret.getData().get(Labels.CONFIG_QR);
                writeOwnerOnly(png, stored != null ? Base64.getDecoder().decode(stored) : QrCodes.png(config));
                err.println("QR code of " + ns + "/" + peerName + " saved to " + png);
            } else if (qr) {
                out.print(QrCodes.terminal(config));
            } else {
                out.print(config);
            }
            return 0;
        } finally {
            if (injected == null) {
                client.close();
            }
        }
    }

    /**
     * Writes {@code bytes} to {@code target} readable by the owner only (0600): the QR code holds the
     * peer's private key. The file is created 0600 (never widened then narrowed, so no other user can
     * open it in between) next to the target and moved over it, so an existing file of wider mode is
     * replaced rather than rewritten in place.
     */
    static void writeOwnerOnly(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Path temp = posix
                ? Files.createTempFile(dir, ".peerwarden-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".peerwarden-", ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
