package io.peerwarden.ship;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The checked-in CRDs (crds/ and the chart's crds/) are exactly what the build generates from the model classes. */
class CrdSyncTest {

    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    static final String FIX = "run `mvn -Pupdate-crds process-classes` and commit crds/ and helm/peerwarden/crds/";

    @ParameterizedTest
    @ValueSource(strings = {"crds", "helm/peerwarden/crds"})
    void checkedInCrdsEqualTheGeneratedOnes(String dir) throws IOException {
        Map<String, String> generated = crds(GENERATED);
        assertThat(generated).as("no generated CRDs in %s: run `mvn process-classes` first", GENERATED)
                .containsKeys("vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml");

        Map<String, String> checkedIn = crds(Path.of(dir));

        assertThat(checkedIn.keySet()).as("CRD files in %s differ from the generated ones: %s", dir, FIX)
                .containsExactlyElementsOf(generated.keySet());
        for (var crd : generated.entrySet()) {
            assertThat(checkedIn.get(crd.getKey())).as("%s/%s differs from what the build generated: %s", dir, crd.getKey(), FIX)
                    .isEqualTo(crd.getValue());
        }
    }

    @Test
    void chartCrdsEqualTopLevelCrds() throws IOException {
        assertThat(crds(Path.of("helm/peerwarden/crds"))).as(FIX).isEqualTo(crds(Path.of("crds")));
    }

    private static Map<String, String> crds(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-v1.yml")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }
}
