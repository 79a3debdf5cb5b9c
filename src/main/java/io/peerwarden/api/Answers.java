package io.peerwarden.api;

import io.peerwarden.core.seedapi.SeedErrors;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The two seeds' answer bodies: Altostrat's {@code ErrorResponse} and WGDashboard's {@code {data, message, status}}. */
final class Answers {

    /** Where each error code is explained: docs/api.md has a section per code. */
    static final String DEFAULT_DOC_BASE = "https://github.com/peerwarden/peerwarden/blob/main/docs/api.md";

    private Answers() {
    }

    static Map<String, Object> altostratError(int status, String code, String message) {
        return altostratError(DEFAULT_DOC_BASE, status, code, message);
    }

    static Map<String, Object> altostratError(String docBase, int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", SeedErrors.errorType(status));
        error.put("code", code);
        error.put("message", message);
        error.put("doc_url", docUrl(docBase, code));
        return error;
    }

    static String docUrl(String docBase, String code) {
        return docBase + "#" + code.toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> wgDashboard(Object data, String message, boolean status) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", data);
        answer.put("message", message);
        answer.put("status", status);
        return answer;
    }
}
