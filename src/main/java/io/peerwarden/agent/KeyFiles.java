package io.peerwarden.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Hands keys to {@code wg} as files: each key is written to a file with mode 0600 inside a private directory
 * (0700, by default on a tmpfs so it never reaches a disk) and deleted right after the command that read it.
 * On a tmpfs every file, however small, takes one page (4 KiB on most nodes), so the directory holds only the
 * keys of one {@code wg set} run at a time: callers {@link #reserve} a name for each key when building the
 * arguments and write it through a {@link Scope} just before the run that reads it.
 */
public final class KeyFiles implements AutoCloseable {

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    /** A fresh private directory under {@code base}. */
    public KeyFiles(Path base) {
        try {
            Files.createDirectories(base);
            this.dir = Files.createTempDirectory(base, "peerwarden-keys-", PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            // exactly 0700 whatever the umask (it can only take bits away, but say so rather than rely on it)
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private key directory under " + base, e);
        }
    }

    /** /dev/shm, else /run, else the temp dir: the first writable one, preferring memory-backed file systems. */
    public static Path defaultBase() {
        for (String candidate : List.of("/dev/shm", "/run")) {
            Path path = Path.of(candidate);
            if (Files.isDirectory(path) && Files.isWritable(path)) {
                return path;
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    public Path directory() {
        return dir;
    }

    /** Files written through a scope are deleted when it closes. */
    public Scope scope() {
        return new Scope();
    }

    /** A fresh file name in the directory for a key written later ({@link Scope#writeAt}); nothing is created. */
    public Path reserve() {
        return dir.resolve(UUID.randomUUID().toString());
    }

    public final class Scope implements AutoCloseable {
        private final List<Path> files = new ArrayList<>();

        public Path write(String base64Key) {
            return writeAt(reserve(), base64Key);
        }

        /**
         * Writes text holding keys (a {@code wg addconf} file) to a fresh file of the directory, mode 0600.
         *
         * @throws UncheckedIOException when it cannot be written (a full tmpfs); what was written of it is deleted with the scope
         */
        public Path writeText(String text) {
            Path file = reserve();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
                files.add(file);
                Files.setPosixFilePermissions(file, FILE_MODE);
                Files.writeString(file, text, StandardCharsets.US_ASCII);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a config file in " + dir, e);
            }
        }

        /**
         * Writes the key to a name from {@link #reserve}.
         *
         * @throws UncheckedIOException when the file cannot be written (a full tmpfs: ENOSPC); what was written of it
         *                              is deleted with the scope
         */
        public Path writeAt(Path file, String base64Key) {
            if (!dir.equals(file.getParent())) {
                throw new IllegalArgumentException("not a key file name of " + dir + ": " + file);
            }
            try {
                // created exclusively (never an existing file or a symlink planted there) with mode 0600
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
                files.add(file);
                Files.setPosixFilePermissions(file, FILE_MODE);
                Files.writeString(file, base64Key + "\n", StandardCharsets.US_ASCII);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a key file in " + dir, e);
            }
        }

        @Override
        public void close() {
            for (Path file : files) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // best effort; the directory is removed on shutdown
                }
            }
            files.clear();
        }
    }

    @Override
    public void close() {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
