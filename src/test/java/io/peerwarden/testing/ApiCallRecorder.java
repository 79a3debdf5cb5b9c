package io.peerwarden.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sits in a client's HTTP stack and records every request it sends to a real API server, and
 * every one the server refused. A component that swallows a 403 (an Event it logs and drops, an
 * informer that retries a forbidden watch) still leaves its trace here, so a test can say
 * "nothing was forbidden" instead of hoping the component would have failed loudly.
 */
public final class ApiCallRecorder implements Interceptor {

    /** One request as sent, with the API server's status when it failed (0 while unknown or successful). */
    public record Exchange(String method, String pathAndQuery, int status) {
        public RecordingDispatcher.Call asCall() {
            return new RecordingDispatcher.Call(method, pathAndQuery, null);
        }

        @Override
        public String toString() {
            return method + " " + pathAndQuery + (status == 0 ? "" : " -> " + status);
        }
    }

    private final List<Exchange> sent = new CopyOnWriteArrayList<>();
    private final List<Exchange> failed = new CopyOnWriteArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        // HTTP requests and WebSocket upgrades (watches) both pass here
        sent.add(new Exchange(request.method(), pathAndQuery(request), 0));
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
        HttpRequest request = response.request();
        failed.add(request == null
                ? new Exchange("?", "(request unknown)", response.code())
                : new Exchange(request.method(), pathAndQuery(request), response.code()));
        return CompletableFuture.completedFuture(false); // observe only: never retry
    }

    public List<Exchange> sent() {
        return List.copyOf(sent);
    }

    /** The requests the API server answered 403 Forbidden. */
    public List<Exchange> forbidden() {
        return failed.stream().filter(e -> e.status() == HttpURLConnection.HTTP_FORBIDDEN).toList();
    }

    private static String pathAndQuery(HttpRequest request) {
        String query = request.uri().getRawQuery();
        return request.uri().getRawPath() + (query == null ? "" : "?" + query);
    }
}
