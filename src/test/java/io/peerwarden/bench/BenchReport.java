package io.peerwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns {@code target/bench/results.json} ({@link BenchResults}) into {@code target/bench/results.md}: one
 * Markdown row per figure (what, value, baseline of the same run, ratio, target, pass or fail), plus every
 * benchmark test that failed or erred according to the surefire reports. The last step of
 * {@code mvn -B test -Pbench}: it runs after the tests, and fails the build, once the table is written, when a
 * benchmark test failed (the profile lets surefire go on so that the table is always written).
 *
 * <p>A target is judged where it reads {@code ≤ 1.5×} (the ratio), {@code ≤ 2000 ms}, {@code ≤ 128 MiB} or
 * {@code = 2} (the value, in the row's unit); anything else is shown and left to the reader ("–").
 */
public final class BenchReport {

    private static final Pattern TARGET = Pattern.compile("^\\s*(≤|<=|<|=|==|≥|>=)\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(×|x\\b)?.*");
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    private BenchReport() {
    }

    /** {@code args[0]}: results.json (default target/bench/results.json); {@code args[1]}: surefire reports directory. */
    public static void main(String[] args) throws IOException {
        Path json = Path.of(args.length > 0 ? args[0] : BenchResults.file().toString());
        Path reports = Path.of(args.length > 1 ? args[1] : "target/surefire-reports");
        List<String> failed = failedTests(reports);
        String markdown = render(json, failed);
        Path md = json.resolveSibling("results.md");
        Files.createDirectories(md.toAbsolutePath().getParent());
        Files.writeString(md, markdown);
        System.out.println(markdown);
        System.out.println("Benchmark table written to " + md.toAbsolutePath());
        if (!failed.isEmpty()) {
            throw new IllegalStateException("benchmark tests failed (their rows may be missing from " + md + "): " + failed);
        }
    }

    static String render(Path json, List<String> failed) throws IOException {
        StringBuilder out = new StringBuilder("# Benchmark results\n\n");
        if (!Files.exists(json)) {
            out.append("No figures: ").append(json).append(" does not exist (no benchmark recorded a row).\n");
        } else {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            out.append("Machine: ").append(root.path("machine").asText("unknown")).append(". Every baseline was measured in the same run as"
                    + " its figure; ratio = value / baseline.\n\n");
            out.append("| what | value | baseline | ratio | target | result | measured at |\n|---|---|---|---|---|---|---|\n");
            for (JsonNode row : root.path("rows")) {
                out.append(row(row)).append('\n');
            }
        }
        if (!failed.isEmpty()) {
            out.append("\n**Benchmark tests that failed or erred** (see target/surefire-reports):\n\n");
            failed.forEach(f -> out.append("- ").append(f).append('\n'));
        }
        return out.toString();
    }

    static String row(JsonNode row) {
        String unit = row.path("unit").asText("");
        double value = row.path("value").asDouble();
        boolean hasBaseline = row.hasNonNull("baseline");
        String baseline = hasBaseline ? number(row.path("baseline").asDouble()) + " " + unit
                + (row.hasNonNull("baselineWhat") ? " (" + row.path("baselineWhat").asText() + ")" : "") : "–";
        String ratio = hasBaseline && row.hasNonNull("ratio") && !Double.isNaN(row.path("ratio").asDouble())
                ? String.format(Locale.ROOT, "%.2f×", row.path("ratio").asDouble()) : "–";
        String target = row.path("target").asText("");
        return "| " + cell(row.path("what").asText(row.path("id").asText())) + " | " + number(value) + " " + unit + " | " + cell(baseline)
                + " | " + ratio + " | " + (target.isEmpty() ? "–" : cell(target)) + " | " + verdict(row) + " | "
                + row.path("measuredAt").asText("").replaceAll("\\.\\d+Z$", "Z") + " |";
    }

    /** "pass", "fail" or "–" (no target, or one this report cannot read). */
    static String verdict(JsonNode row) {
        Matcher m = TARGET.matcher(row.path("target").asText(""));
        if (!m.matches()) {
            return "–";
        }
        double bound = Double.parseDouble(m.group(2).replace(",", ""));
        double actual;
        if (m.group(3) != null) {
            if (!row.hasNonNull("ratio") || Double.isNaN(row.path("ratio").asDouble())) {
                return "–";
            }
            actual = row.path("ratio").asDouble();
        } else {
            actual = row.path("value").asDouble();
        }
        // as shown: a value printed as 2.00 meets "= 2"
        double shown = Math.round(actual * 100) / 100.0;
        boolean pass = switch (m.group(1)) {
            case "≤", "<=" -> shown <= bound;
            case "<" -> shown < bound;
            case "≥", ">=" -> shown >= bound;
            default -> shown == bound;
        };
        return pass ? "pass" : "**fail**";
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Test classes of the surefire reports with failures or errors, as "Class (n failed, m erred)". */
    static List<String> failedTests(Path reports) throws IOException {
        List<String> failed = new ArrayList<>();
        if (!Files.isDirectory(reports)) {
            return failed;
        }
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                Matcher suite = SUITE.matcher(Files.readString(file));
                if (!suite.find()) {
                    continue;
                }
                String tag = suite.group();
                int failures = attribute(tag, "failures");
                int errors = attribute(tag, "errors");
                if (failures + errors > 0) {
                    failed.add(attributeText(tag, "name") + " (" + failures + " failed, " + errors + " erred)");
                }
            }
        }
        return failed;
    }

    private static int attribute(String tag, String name) {
        String text = attributeText(tag, name);
        return text.isEmpty() ? 0 : Integer.parseInt(text);
    }

    private static String attributeText(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : "";
    }
}
