package io.peerwarden.api;

import io.peerwarden.operator.webhook.ServingMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tls-cert/--tls-key}: PEM files as cert-manager writes them serve HTTPS that a client trusting the CA accepts; bodies stay bounded. */
class ApiTlsTest {

    @Test
    void pemFilesServeHttpsAndALargeBodyIsRefusedWith413(@TempDir Path dir) throws Exception {
        ServingMaterial material = ServingMaterial.generate(List.of("localhost"), Duration.ofHours(1), Instant.now());
        Path cert = Files.writeString(dir.resolve("tls.crt"), material.certificatePem());
        Path key = Files.writeString(dir.resolve("tls.key"), material.keyPem());
        SSLContext tls = ApiTls.context(cert, key);
        try (ApiServer server = new ApiServer(new ApiServer.Settings("127.0.0.1", 0, 2, 4, 1024, tls))) {
            server.mount("/echo", exchange -> {
                byte[] body = ApiServer.readBody(exchange, server.maxBody());
                if (body == null) {
                    ApiServer.sendJson(exchange, 413, Answers.altostratError(413, "RequestTooLarge", "too large"));
                } else {
                    ApiServer.send(exchange, 200, "text/plain", body);
                }
            }).start();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", material.ca());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, factory.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(client).build();
            URI uri = URI.create("https://localhost:" + server.port() + "/echo");
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("hello");
            HttpResponse<String> large = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048))).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(large.body()).contains("\"code\":\"RequestTooLarge\"");
        }
    }
}
