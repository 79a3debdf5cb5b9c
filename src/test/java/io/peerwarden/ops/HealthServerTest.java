package io.peerwarden.ops;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HealthServerTest {

    @Test
    void readyzFollowsTheCachesAndHealthzTheLoop() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (HealthServer server = new HealthServer(0, () -> true, ready::get, null)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(http, base + "/healthz")).isEqualTo(200);
            assertThat(status(http, base + "/readyz")).isEqualTo(503);
            ready.set(true);
            assertThat(status(http, base + "/readyz")).isEqualTo(200);
        }
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
