package io.pretext.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the notebooks are: {@code notebooks/NN-*.ipynb} of the repository, in their order. */
final class Notebooks {
  private Notebooks() {}

  /** The repository: system property {@code pretext.home} (set by the build), else the parent of the working directory. */
  static Path home() {
    String home = System.getProperty("pretext.home");
    return (home != null ? Path.of(home) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path directory() {
    return home().resolve("notebooks");
  }

  /** The numbered notebooks, by name (so in order). */
  static List<Path> all() throws IOException {
    try (Stream<Path> files = Files.list(directory())) {
      return files.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
    }
  }
}
