package io.peerwarden.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One home for benchmark figures: every benchmark records its rows here, and they land in
 * {@code target/bench/results.json} (one JSON object per row under {@code "rows"}), which the
 * report turns into the Markdown table of BENCHMARKS.md. A row is one figure with, where it has one,
 * the baseline it is compared to, measured in the same run ({@code ratio = value / baseline}).
 * Rows of the same {@code id} replace each other, so a re-run of one benchmark updates its rows.
 * Synchronized on the class, as benchmarks of one JVM may record concurrently; the benchmark run uses one fork,
 * so no two JVMs write the file at once.
 */
public final class BenchResults {

    /** Where the rows go; {@code -Dbench.results=path} moves them. */
    public static Path file() {
        return Path.of(System.getProperty("bench.results", "target/bench/results.json"));
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchResults() {
    }

    /**
     * @param id       stable identifier, e.g. {@code operator.converge.10000.mock}
     * @param what     the row as the table names it, e.g. "converge 10,000 new peers (CRUD mock)"
     * @param value    the figure measured
     * @param unit     its unit: "ms", "writes", "MiB", "process starts", ...
     * @param baseline the figure it is compared to, measured in the same run, or null for a count
     * @param baselineWhat what the baseline is, e.g. "bare client loop of the same writes", or null
     * @param target   the target as the issue states it, e.g. "≤ 1.5×" or "= 2", or null
     */
    public static synchronized void record(String id, String what, double value, String unit, Double baseline,
                                           String baselineWhat, String target) {
        try {
            Path file = file();
            Files.createDirectories(file.toAbsolutePath().getParent());
            ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
            ArrayNode rows = root.has("rows") ? (ArrayNode) root.get("rows") : root.putArray("rows");
            for (int i = rows.size() - 1; i >= 0; i--) {
                if (id.equals(rows.get(i).path("id").asText())) {
                    rows.remove(i);
                }
            }
            ObjectNode row = rows.addObject();
            row.put("id", id);
            row.put("what", what);
            row.put("value", value);
            row.put("unit", unit);
            if (baseline != null) {
                row.put("baseline", baseline);
                row.put("baselineWhat", baselineWhat);
                row.put("ratio", baseline == 0 ? Double.NaN : value / baseline);
            }
            if (target != null) {
                row.put("target", target);
            }
            row.put("measuredAt", Instant.now().toString());
            root.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs, "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
            Files.writeString(file, JSON.writeValueAsString(root));
            System.out.printf("BENCH %s: %s = %.3f %s%s%n", id, what, value, unit,
                    baseline == null ? "" : String.format(" (baseline %.3f, ratio %.2f×)", baseline, value / baseline));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record benchmark row " + id, e);
        }
    }
}
