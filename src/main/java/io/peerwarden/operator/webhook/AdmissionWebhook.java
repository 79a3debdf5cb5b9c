package io.peerwarden.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.admission.InstanceAdmission;
import io.peerwarden.core.admission.PeerAdmission;
import io.peerwarden.core.plan.InstancePlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** The webhook as the operator runs it: its TLS and its HTTPS server, deciding from the reconciler's caches. */
public final class AdmissionWebhook implements AutoCloseable {

    /**
     * @param port        HTTPS port (0: any free one; negative: no webhook)
     * @param bindAddress address to listen on, or null for all
     * @param tls         how the serving certificate is made and rotated (with {@code certDir}: only checkEvery counts)
     * @param certDir     where cert-manager's Secret is mounted (tls.crt, tls.key), or null: the operator makes its own
     */
    public record Settings(int port, String bindAddress, WebhookTls.Settings tls, Path certDir) {

        public static Settings disabled() {
            return new Settings(-1, null, null, null);
        }

        public boolean enabled() {
            return port >= 0 && tls != null;
        }
    }

    /** null with cert-manager */
    private final WebhookTls tls;
    /** null without cert-manager */
    private final MountedCertificate mounted;
    private final AdmissionServer server;

    private AdmissionWebhook(WebhookTls tls, MountedCertificate mounted, AdmissionServer server) {
        this.tls = tls;
        this.mounted = mounted;
        this.server = server;
    }

    /**
     * @param plans         the plan the reconciler would make with the candidate peer in its cache (empty: instance unknown)
     * @param instancePlans the same for a candidate instance (empty: caches not started)
     */
    public static AdmissionWebhook start(KubernetesClient client, Settings settings, Clock clock,
                                         Function<VpnPeer, Optional<InstancePlan>> plans,
                                         Function<VpnInstance, Optional<InstancePlan>> instancePlans) {
        WebhookTls tls = null;
        MountedCertificate mounted = null;
        SSLContext context;
        if (settings.certDir() != null) {
            mounted = new MountedCertificate(settings.certDir());
            mounted.start(settings.tls().checkEvery());
            context = mounted.sslContext();
        } else {
            tls = new WebhookTls(client, settings.tls(), clock);
            tls.start();
            context = tls.sslContext();
        }
        try {
            return new AdmissionWebhook(tls, mounted, new AdmissionServer(settings.bindAddress(), settings.port(), context,
                    peer -> PeerAdmission.decide(peer, plans.apply(peer)),
                    instance -> instancePlans.apply(instance).map(InstanceAdmission::decide).orElse(PeerAdmission.Verdict.ALLOW)));
        } catch (IOException e) {
            if (tls != null) {
                tls.close();
            }
            if (mounted != null) {
                mounted.close();
            }
            throw new UncheckedIOException("cannot serve the admission webhook on port " + settings.port(), e);
        }
    }

    public int port() {
        return server.port();
    }

    /** The operator's own certificates (empty with cert-manager). */
    public java.util.Optional<WebhookTls> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    public long answered() {
        return server.answered();
    }

    @Override
    public void close() {
        server.close();
        if (tls != null) {
            tls.close();
        }
        if (mounted != null) {
            mounted.close();
        }
    }
}
