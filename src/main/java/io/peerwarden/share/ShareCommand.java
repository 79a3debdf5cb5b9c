package io.peerwarden.share;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.cli.ClusterAccess;
import io.peerwarden.cli.DurationConverter;
import io.peerwarden.cli.UserError;
import io.peerwarden.core.share.ShareTtl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code peerwarden share <peer> [--ttl 1h]}: mints a single-use, expiring link to a peer's config
 * with the caller's own kubeconfig rights; prints the URL (or, without a base URL, the token and its
 * path) on stdout and what it is on stderr. {@code --revoke} removes all of the peer's live links.
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Mint a single-use, expiring link to a VpnPeer's config (QR code and wg0.conf), or revoke its links.")
public class ShareCommand implements Callable<Integer> {

    static final String BASE_URL_ENV = "PEERWARDEN_SHARE_URL";

    @Parameters(index = "0", description = "Name of the VpnPeer.")
    String peerName;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the peer (default: the kubeconfig context's, else default).")
    String namespace;

    @Option(names = "--ttl", converter = DurationConverter.class, defaultValue = "1h",
            description = "How long the link works if nobody opens it: 1m to 168h (default ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--revoke", description = "Revoke every live link of the peer instead of minting one.")
    boolean revoke;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Where the Peerwarden API (or share server) is reached, e.g. https://vpn.example.com "
                    + "(default: $" + BASE_URL_ENV + "; without one the token and its path are printed).")
    String baseUrl;

    private final KubernetesClient injected;
    private final ShareIssuer injectedIssuer;
    private final PrintStream out;
    private final PrintStream err;

    public ShareCommand() {
        this(null, null, System.out, System.err);
    }

    ShareCommand(KubernetesClient client, ShareIssuer issuer, PrintStream out, PrintStream err) {
        this.injected = client;
        this.injectedIssuer = issuer;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        ShareTtl.problem(ttl).ifPresent(problem -> {
            throw new UserError(problem);
        });
        KubernetesClient client = injected != null ? injected : ClusterAccess.connect();
        try {
            String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
            ShareIssuer issuer = injectedIssuer != null ? injectedIssuer : new ShareIssuer(client);
            try {
                if (revoke) {
                    int revoked = issuer.revoke(ns, peerName);
                    err.println("Revoked " + revoked + " share link" + (revoked == 1 ? "" : "s") + " of " + ns + "/" + peerName + ".");
                    return 0;
                }
                VpnPeer peer = client.resources(VpnPeer.class).inNamespace(ns).withName(peerName).get();
                if (peer == null) {
                    err.println("VpnPeer " + ns + "/" + peerName + " does not exist.");
                    return 2;
                }
                IssuedShare share = issuer.issue(peer, ttl);
                String base = baseUrl != null ? baseUrl : System.getenv(BASE_URL_ENV);
                out.println(base != null && !base.isBlank() ? stripSlash(base) + share.path() : share.token());
                err.println((base == null || base.isBlank() ? "Token (open <API URL>" + ShareHandler.PREFIX + "<token>; set --base-url or $"
                        + BASE_URL_ENV + " to print the URL) " : "Link ") + "to the config of " + ns + "/" + peerName
                        + ": works once, until " + share.expiresAt() + ". Revoke with: peerwarden share " + peerName + " -n " + ns + " --revoke");
                return 0;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403) {
                    throw new UserError("You may not " + (revoke ? "list or delete" : "create") + " Secrets in namespace " + ns
                            + ": a share link is a Secret next to the peer's config, so " + (revoke ? "revoking" : "minting")
                            + " one needs the rights that let you read the config itself (e.g. the edit role there).");
                }
                throw e;
            }
        } finally {
            if (injected == null) {
                client.close();
            }
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
