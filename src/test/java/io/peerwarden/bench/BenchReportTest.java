package io.peerwarden.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark table judges each row against its target as BENCHMARKS.md reads it, and says when a benchmark failed. */
class BenchReportTest {

    @Test
    void eachRowIsJudgedOnItsRatioOrItsValue(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        String previous = System.getProperty("bench.results");
        System.setProperty("bench.results", json.toString());
        try {
            BenchResults.record("a.ratio.pass", "converge", 1400, "ms", 1000.0, "bare loop", "≤ 1.5×");
            BenchResults.record("a.ratio.fail", "converge slow", 5000, "ms", 1000.0, "bare loop", "≤ 1.5×");
            BenchResults.record("b.count.pass", "writes per peer", 2.001, "writes", 2.0, "floor", "= 2");
            BenchResults.record("b.count.fail", "writes per change", 3, "writes", null, null, "= 2");
            BenchResults.record("c.bound.pass", "heap", 100, "MiB", null, null, "≤ 128 MiB");
            BenchResults.record("c.bound.fail", "first secret", 2500, "ms", null, null, "≤ 2,000 ms");
            BenchResults.record("d.unjudged", "allocation", 31, "ms", null, null, "O(log n)");
        } finally {
            if (previous == null) {
                System.clearProperty("bench.results");
            } else {
                System.setProperty("bench.results", previous);
            }
        }

        List<String> lines = BenchReport.render(json, List.of()).lines().toList();

        assertThat(row(lines, "| converge |")).contains("1.40×", "| pass |");
        assertThat(row(lines, "| converge slow |")).contains("5.00×", "**fail**");
        assertThat(row(lines, "| writes per peer |")).as("2.00 as shown meets = 2").contains("| pass |");
        assertThat(row(lines, "| writes per change |")).contains("**fail**");
        assertThat(row(lines, "| heap |")).contains("| pass |");
        assertThat(row(lines, "| first secret |")).contains("**fail**");
        assertThat(row(lines, "| allocation |")).contains("| – |");
    }

    @Test
    void aFailedBenchmarkTestIsListedAndFailsTheReportAfterTheTableIsWritten(@TempDir Path dir) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(reports.resolve("TEST-io.peerwarden.bench.XBenchmarkTest.xml"),
                "<?xml version=\"1.0\"?>\n<testsuite name=\"io.peerwarden.bench.XBenchmarkTest\" tests=\"2\" errors=\"1\" skipped=\"0\" failures=\"0\">\n</testsuite>\n");
        Files.writeString(reports.resolve("TEST-io.peerwarden.bench.YBenchmarkTest.xml"),
                "<?xml version=\"1.0\"?>\n<testsuite name=\"io.peerwarden.bench.YBenchmarkTest\" tests=\"1\" errors=\"0\" skipped=\"0\" failures=\"0\">\n</testsuite>\n");
        Path json = dir.resolve("results.json");

        assertThatThrownBy(() -> BenchReport.main(new String[] {json.toString(), reports.toString()}))
                .hasMessageContaining("io.peerwarden.bench.XBenchmarkTest (0 failed, 1 erred)")
                .hasMessageNotContaining("YBenchmarkTest");
        assertThat(Files.readString(dir.resolve("results.md"))).contains("XBenchmarkTest (0 failed, 1 erred)");
    }

    private static String row(List<String> lines, String what) {
        return lines.stream().filter(l -> l.startsWith(what)).findFirst().orElseThrow(() -> new AssertionError("no row " + what + " in " + lines));
    }
}
