package io.pretext.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every notebook runs top to bottom headless, as a reader would run it: {@code jupyter nbconvert --to notebook
 * --execute} with Debian's Python 3 kernel, against the packaged build ({@code bin/pretext} with
 * {@code PRETEXT_SKIP_BUILD=1}) and Debian's Fashion-MNIST. A cell that raises fails the test. The notebooks run in
 * order and share one work directory ({@code target/notebook-work}, emptied first), so notebook 3 reuses notebook 2's
 * run, as it does for a reader. Each notebook's wall time is printed and appended to {@code target/notebook-times.txt}.
 *
 * <p>Without nbconvert or Fashion-MNIST the test fails and says what to install (.ci/run installs both).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotebooksIT {
  static final int TIMEOUT_MINUTES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  static Path target;
  static Path work;

  @BeforeAll
  static void prerequisites() throws IOException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of("/usr/bin/jupyter-nbconvert"))) {
      missing.add("jupyter-nbconvert python3-ipykernel python3-matplotlib python3-pandas python3-sklearn");
    }
    if (!Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))) {
      missing.add("dataset-fashion-mnist");
    }
    if (!Files.exists(Path.of("/usr/share/wordnet/data.noun"))) {
      missing.add("wordnet-base");
    }
    assertTrue(missing.isEmpty(), "the notebooks need Debian packages that are not installed: apt-get install -y --no-install-recommends "
        + String.join(" ", missing) + " (.ci/run installs them)");
    assertTrue(Files.isRegularFile(Notebooks.home().resolve("spark-jobs/target/classpath.txt")),
        "the notebooks run bin/pretext on the packaged build: run them with mvn verify (the package phase comes first)");
    target = Notebooks.home().resolve("notebook-tests/target");
    work = target.resolve("notebook-work");
    // From nothing, as in a fresh clone: a run or dataset left by an earlier build must not be reused.
    if (Files.exists(work)) {
      try (Stream<Path> old = Files.walk(work)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(work);
    Files.deleteIfExists(target.resolve("notebook-times.txt"));
  }

  @Test
  @Order(1)
  void prepareACorpus() throws Exception {
    execute("01-prepare-a-corpus.ipynb");
  }

  @Test
  @Order(2)
  void pretrainAndEvaluate() throws Exception {
    execute("02-pretrain-and-evaluate.ipynb");
  }

  @Test
  @Order(3)
  void whatTheEncoderLearned() throws Exception {
    execute("03-what-the-encoder-learned.ipynb");
  }

  @Test
  @Order(4)
  void maskedLanguageModel() throws Exception {
    execute("04-masked-language-model.ipynb");
  }

  @Test
  @Order(5)
  void generativeMethods() throws Exception {
    execute("05-generative-methods.ipynb");
  }

  @Test
  @Order(6)
  void fineTuningWithFewLabels() throws Exception {
    execute("06-fine-tuning-with-few-labels.ipynb");
  }

  static void execute(String name) throws Exception {
    Path notebook = Notebooks.directory().resolve(name);
    Path executed = target.resolve("notebooks-executed");
    Files.createDirectories(executed);
    Path log = target.resolve("notebooks-executed/" + name.replace(".ipynb", ".log"));
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter-nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=" + TIMEOUT_MINUTES * 60, "--ExecutePreprocessor.kernel_name=python3",
        "--output-dir", executed.toString(), notebook.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PRETEXT_HOME", Notebooks.home().toString());
    pb.environment().put("PRETEXT_NOTEBOOK_WORK", work.toString());
    pb.environment().put("PRETEXT_SKIP_BUILD", "1");
    pb.environment().remove("MPLBACKEND"); // the kernel's inline backend draws the figures into the notebook
    pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    long start = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(TIMEOUT_MINUTES + 1, TimeUnit.MINUTES);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String line = String.format(Locale.ROOT, "%s %.0f s%n", name, seconds);
    System.out.print("notebook " + line);
    Files.writeString(target.resolve("notebook-times.txt"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String output = Files.readString(log);
    assertTrue(done, name + " did not finish within " + (TIMEOUT_MINUTES + 1) + " minutes:\n" + tail(output));
    assertEquals(0, p.exitValue(), name + " failed (a cell raised):\n" + tail(output));

    JsonNode result = JSON.readTree(executed.resolve(name).toFile());
    int cells = 0;
    for (JsonNode cell : result.path("cells")) {
      if (cell.path("cell_type").asText().equals("code")) {
        cells++;
        assertTrue(cell.path("execution_count").isInt(), name + ": a code cell did not run: " + cell.path("source"));
        for (JsonNode out : cell.path("outputs")) {
          assertTrue(!out.path("output_type").asText().equals("error"), name + ": a cell raised: " + out);
        }
      }
    }
    assertTrue(cells >= 3, name + ": " + cells + " code cells ran");
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }
}
