package io.peerwarden.api;

import java.util.List;
import java.util.Map;

/** Who a bearer token is, as the API server's TokenReview says; the token itself only to write as the caller. */
public record Caller(String username, String uid, List<String> groups, Map<String, List<String>> extra, String token) {

    @Override
    public String toString() {
        return "Caller[" + username + "]";
    }
}
