package io.peerwarden;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.ApiServer;
import io.peerwarden.api.CallerWrites;
import io.peerwarden.api.ConfigTokens;
import io.peerwarden.api.SeedApi;
import io.peerwarden.cli.ClusterAccess;
import io.peerwarden.cli.DurationConverter;
import io.peerwarden.cli.UserError;
import io.peerwarden.core.share.FailedLookupLimiter;
import io.peerwarden.core.share.ShareTtl;
import io.peerwarden.share.CallerShareTokens;
import io.peerwarden.share.KubeShareStore;
import io.peerwarden.share.ShareHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code peerwarden api}: the seeds' REST APIs (Altostrat, WGDashboard) over VpnPeers, as the caller. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Serve the Altostrat and WGDashboard peer APIs over the CRDs (docs/api.md).")
public class ApiCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:API_PORT:-8443}", description = "Port to listen on. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind-address", defaultValue = "${env:API_BIND_ADDRESS:-}", description = "Address to listen on (default: all).")
    String bindAddress;

    @Option(names = "--tls-cert", defaultValue = "${env:API_TLS_CERT:-}",
            description = "PEM certificate chain to serve HTTPS with (with --tls-key). Without: plain HTTP, to be reached"
                    + " only through a TLS-terminating ingress or a port-forward (bearer tokens travel in every request).")
    String tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:API_TLS_KEY:-}", description = "PEM private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--threads", defaultValue = "8", description = "Requests handled at once. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--max-body", defaultValue = "65536", description = "Largest request body in bytes (larger: 413). Default: ${DEFAULT-VALUE}.")
    int maxBody;

    @Option(names = "--settle", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long a write waits for the operator's verdict on the new generation. Default: ${DEFAULT-VALUE}.")
    Duration settle;

    @Option(names = "--token-cache", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a TokenReview answer is reused. Default: ${DEFAULT-VALUE}.")
    Duration tokenCache;

    @Option(names = "--doc-url", defaultValue = "${env:API_DOC_URL:-https://github.com/peerwarden/peerwarden/blob/main/docs/api.md}",
            description = "URL of docs/api.md, the base of each error's doc_url. Default: ${DEFAULT-VALUE}.")
    String docUrl;

    @Option(names = "--share-links", defaultValue = "${env:API_SHARE_LINKS:-false}",
            description = "Serve share links at /config/<token> and fill the Altostrat token/token_ttl (minted as the caller)."
                    + " Needs get and delete on Secrets in the peers' namespaces (docs/security.md). Default: ${DEFAULT-VALUE}.")
    boolean shareLinks;

    @Option(names = "--share-ttl", defaultValue = "${env:API_SHARE_TTL:-1h}", converter = DurationConverter.class,
            description = "Lifetime of the Altostrat token (token_ttl) with --share-links, 1m to 168h. Default: ${DEFAULT-VALUE}.")
    Duration shareTtl;

    SeedApi.Settings settings() {
        SSLContext tls = null;
        boolean cert = tlsCert != null && !tlsCert.isBlank();
        boolean key = tlsKey != null && !tlsKey.isBlank();
        if (cert != key) {
            throw new UserError("--tls-cert and --tls-key go together");
        }
        if (cert) {
            try {
                tls = io.peerwarden.api.ApiTls.context(Path.of(tlsCert), Path.of(tlsKey));
            } catch (Exception e) {
                throw new UserError("cannot read --tls-cert/--tls-key: " + e.getClass().getSimpleName());
            }
        }
        if (ShareTtl.problem(shareTtl).isPresent()) {
            throw new UserError("--share-ttl must be between 1m and 168h (7 days); the default is 1h.");
        }
        if (threads < 1 || maxBody < 1) {
            throw new UserError("--threads and --max-body must be positive");
        }
        return new SeedApi.Settings(new ApiServer.Settings(bindAddress == null || bindAddress.isBlank() ? null : bindAddress,
                port, threads, 64, maxBody, tls), tokenCache, 1024, settle, Duration.ofSeconds(10), docUrl);
    }

    /**
     * The API as {@link #call} runs it (tests start it through here too): the seeds' APIs as the ServiceAccount
     * {@code client}; with {@code shareLinks} also the share pages at {@link ShareHandler#PREFIX}, served with
     * {@code client}'s get and delete on Secrets, and the Altostrat token minted as the caller for {@code shareTtl}.
     */
    public static SeedApi start(KubernetesClient client, SeedApi.Settings settings, boolean shareLinks, Duration shareTtl) {
        if (!shareLinks) {
            return SeedApi.start(client, settings, ConfigTokens.NONE);
        }
        Clock clock = Clock.systemUTC();
        return SeedApi.start(client, settings,
                new CallerShareTokens(new CallerWrites(client.getConfiguration(), settings.apiTimeout()), shareTtl),
                Map.of(ShareHandler.PREFIX, new ShareHandler(new KubeShareStore(client), FailedLookupLimiter.defaults(clock), clock)));
    }

    @Override
    public Integer call() throws InterruptedException {
        SeedApi.Settings settings = settings();
        KubernetesClient client = ClusterAccess.connect();
        CountDownLatch stopped = new CountDownLatch(1);
        SeedApi api = start(client, settings, shareLinks, shareTtl);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
