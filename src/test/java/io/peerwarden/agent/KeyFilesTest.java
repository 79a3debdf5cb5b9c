package io.peerwarden.agent;

import io.peerwarden.testing.Closer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key files are readable by the agent's user only: the directory 0700, each file 0600, whatever the base's mode. */
class KeyFilesTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() {
        closer.close();
    }

    @Test
    void keyFilesAre0600InsideA0700Directory() throws IOException {
        Path base = closer.privateDirectory("pwkeybase-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        KeyFiles keys = closer.add(new KeyFiles(base));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.directory()))).isEqualTo("rwx------");
        try (KeyFiles.Scope scope = keys.scope()) {
            Path file = scope.write("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).isEqualTo("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n");
        }
        try (var left = Files.list(keys.directory())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFilePlantedUnderAReservedNameIsNeverWrittenThrough() throws IOException {
        KeyFiles keys = closer.add(new KeyFiles(closer.privateDirectory("pwkeybase-")));
        Path reserved = keys.reserve();
        Path elsewhere = closer.privateDirectory("pwelsewhere-").resolve("target");
        Files.createSymbolicLink(reserved, elsewhere);
        try (KeyFiles.Scope scope = keys.scope()) {
            assertThatThrownBy(() -> scope.writeAt(reserved, "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="))
                    .isInstanceOf(java.io.UncheckedIOException.class);
        }
        assertThat(elsewhere).doesNotExist();
    }
}
