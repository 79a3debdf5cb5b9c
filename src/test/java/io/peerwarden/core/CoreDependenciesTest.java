package io.peerwarden.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The core is pure: no arrow to the shells around it or to a Kubernetes client, and no loop between wg and diff. */
class CoreDependenciesTest {

    private static final Path CORE = Path.of("src/main/java/io/peerwarden/core");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    /** source file → its imports, for every class of the given core package (and below it). */
    private static Map<String, List<String>> imports(String subPackage) throws IOException {
        Map<String, List<String>> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CORE.resolve(subPackage))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    result.put(CORE.relativize(f).toString(), m.results().map(r -> r.group(1)).toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return result;
    }

    @Test
    void coreImportsNeitherTheShellsNorAKubernetesClient() throws IOException {
        imports("").forEach((file, imports) -> assertThat(imports).as(file).noneMatch(i ->
                i.startsWith("io.peerwarden.agent.") || i.startsWith("io.peerwarden.operator.")
                        || i.startsWith("io.peerwarden.kube.") || i.startsWith("io.peerwarden.ops.")
                        || i.startsWith("io.fabric8.kubernetes.client") || i.startsWith("io.javaoperatorsdk")));
    }

    @Test
    void wgCommandsAndParsersDoNotDependOnTheDiff() throws IOException {
        imports("wg").forEach((file, imports) -> assertThat(imports).as(file)
                .noneMatch(i -> i.startsWith("io.peerwarden.core.diff.")));
    }
}
