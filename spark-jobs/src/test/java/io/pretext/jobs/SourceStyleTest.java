package io.pretext.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One indentation style across modules: every Java source in the repository indents by two spaces (the member lines
 * of its top-level type start in column 3) and holds no tab characters.
 */
class SourceStyleTest {
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile("^(public |final |abstract |sealed |non-sealed )*(class|interface|record|enum|@interface) .*");

  @Test
  void everyJavaSourceIndentsByTwoSpaces() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(SourceStyleTest::isProjectSource).toList()) {
        List<String> lines = Files.readAllLines(file);
        checked++;
        int step = memberIndent(lines);
        if (step != -1 && step != 2) {
          offenders.add(root.relativize(file) + ": members indented by " + step);
        }
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).indexOf('\t') >= 0) {
            offenders.add(root.relativize(file) + ":" + (i + 1) + ": tab character");
            break;
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertTrue(checked > 100, "only " + checked + " Java sources found under " + root);
    assertTrue(offenders.isEmpty(), "indent by two spaces, no tabs:\n" + String.join("\n", offenders));
  }

  private static boolean isProjectSource(Path p) {
    String s = p.toString();
    return s.endsWith(".java") && !s.contains("/target/") && !s.contains("/.git/") && s.contains("/src/");
  }

  /** Indentation of the first non-blank line after the top-level type's opening brace, or -1 if there is none. */
  static int memberIndent(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (TOP_LEVEL_TYPE.matcher(lines.get(i)).matches()) {
        int j = i;
        while (j < lines.size() && !lines.get(j).contains("{")) {
          j++;
        }
        for (int k = j + 1; k < lines.size(); k++) {
          String line = lines.get(k);
          if (!line.isBlank() && !line.strip().equals("}")) {
            return line.length() - line.stripLeading().length();
          }
        }
      }
    }
    return -1;
  }
}
