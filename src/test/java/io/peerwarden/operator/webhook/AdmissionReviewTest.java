package io.peerwarden.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.admission.PeerAdmission;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The AdmissionReview answer as the API server reads it, and the certificates the webhook presents. */
class AdmissionReviewTest {

    private static final String REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
             "kind":{"group":"vpn.peerwarden.io","version":"v1alpha1","kind":"VpnPeer"},"operation":"CREATE","dryRun":true,
             "object":{"apiVersion":"vpn.peerwarden.io/v1alpha1","kind":"VpnPeer","metadata":{"name":"laptop","namespace":"team-a"},
               "spec":{"instanceRef":{"name":"office"},"type":"client","allowedIPs":["10.24.0.10/32"],"someFutureField":1}}}}
            """;

    @Test
    void aRefusalCarriesTheRequestUidAndTheReasonAndMessageTheUserSees() {
        AtomicReference<VpnPeer> seen = new AtomicReference<>();
        JsonNode answer = AdmissionServer.review(REVIEW.getBytes(StandardCharsets.UTF_8), peer -> {
            seen.set(peer);
            return new PeerAdmission.Verdict(false, "AllowedIPTaken", "Allowed IP already taken by another peer: 10.24.0.10/32 ...");
        });

        assertThat(seen.get().getMetadata().getName()).isEqualTo("laptop");
        assertThat(seen.get().getSpec().getAllowedIPs()).containsExactly("10.24.0.10/32");
        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(answer.path("response").path("allowed").asBoolean(true)).isFalse();
        assertThat(answer.path("response").path("status").path("message").asText())
                .isEqualTo("AllowedIPTaken: Allowed IP already taken by another peer: 10.24.0.10/32 ...");
    }

    @Test
    void whatCannotBeDecidedIsAllowed() {
        JsonNode garbage = AdmissionServer.review("not json".getBytes(StandardCharsets.UTF_8), peer -> {
            throw new AssertionError("not a peer");
        });
        assertThat(garbage.path("response").path("allowed").asBoolean(false)).isTrue();

        JsonNode failing = AdmissionServer.review(REVIEW.getBytes(StandardCharsets.UTF_8), peer -> {
            throw new IllegalStateException("cache not started");
        });
        assertThat(failing.path("response").path("allowed").asBoolean(false)).isTrue();
        assertThat(failing.path("response").path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    }

    @Test
    void theServingCertificateNamesItsHostsIsSignedByItsCaAndIsRenewedAfterTwoThirds() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ServingMaterial material = ServingMaterial.generate(List.of("peerwarden-operator-webhook.peerwarden.svc", "127.0.0.1"),
                Duration.ofDays(90), now);

        X509Certificate certificate = material.certificate();
        certificate.verify(material.ca().getPublicKey());
        List<Object> names = certificate.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList();
        assertThat(names).containsExactly("peerwarden-operator-webhook.peerwarden.svc", "127.0.0.1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(material.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(material.renewAt()).isEqualTo(now.plus(Duration.ofDays(60)));

        ServingMaterial read = ServingMaterial.parse(material.certificatePem(), material.keyPem(), material.ca());
        assertThat(read.certificate()).isEqualTo(certificate);
        assertThat(read.key().getEncoded()).isEqualTo(material.key().getEncoded());
        assertThat(ServingMaterial.certificates(material.caPem() + material.certificatePem())).containsExactly(material.ca(), certificate);
    }
}
