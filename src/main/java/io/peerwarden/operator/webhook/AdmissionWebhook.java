package io.peerwarden.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.admission.PeerAdmission;
import io.peerwarden.core.plan.InstancePlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** The webhook as the operator runs it: its TLS and its HTTPS server, deciding from the reconciler's caches. */
public final class AdmissionWebhook implements AutoCloseable {

    /**
     * @param port        HTTPS port (0: any free one; negative: no webhook)
     * @param bindAddress address to listen on, or null for all
     * @param tls         how the serving certificate is made and rotated
     */
    public record Settings(int port, String bindAddress, WebhookTls.Settings tls) {

        public static Settings disabled() {
            return new Settings(-1, null, null);
        }

        public boolean enabled() {
            return port >= 0 && tls != null;
        }
    }

    private final WebhookTls tls;
    private final AdmissionServer server;

    private AdmissionWebhook(WebhookTls tls, AdmissionServer server) {
        this.tls = tls;
        this.server = server;
    }

    /** @param plans the plan the reconciler would make with the candidate in its cache (empty: instance unknown) */
    public static AdmissionWebhook start(KubernetesClient client, Settings settings, Clock clock,
                                         Function<VpnPeer, Optional<InstancePlan>> plans) {
        WebhookTls tls = new WebhookTls(client, settings.tls(), clock);
        tls.start();
        try {
            return new AdmissionWebhook(tls, new AdmissionServer(settings.bindAddress(), settings.port(), tls.sslContext(),
                    peer -> PeerAdmission.decide(peer, plans.apply(peer))));
        } catch (IOException e) {
            tls.close();
            throw new UncheckedIOException("cannot serve the admission webhook on port " + settings.port(), e);
        }
    }

    public int port() {
        return server.port();
    }

    public WebhookTls tls() {
        return tls;
    }

    public long answered() {
        return server.answered();
    }

    @Override
    public void close() {
        server.close();
        tls.close();
    }
}
