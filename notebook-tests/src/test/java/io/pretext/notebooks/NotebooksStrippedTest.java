package io.pretext.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The notebooks as committed: valid nbformat 4 with the Python 3 kernel, outputs stripped (no output, no execution
 * count), and each one named in the notebooks' README. Runs in {@code mvn test}; {@link NotebooksIT} executes them.
 */
class NotebooksStrippedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void committedWithoutOutputs() throws IOException {
    List<Path> notebooks = Notebooks.all();
    assertEquals(List.of("01-prepare-a-corpus.ipynb", "02-pretrain-and-evaluate.ipynb", "03-what-the-encoder-learned.ipynb",
        "04-masked-language-model.ipynb", "05-generative-methods.ipynb",
        "06-fine-tuning-with-few-labels.ipynb"),
        notebooks.stream().map(p -> p.getFileName().toString()).toList());
    String readme = Files.readString(Notebooks.directory().resolve("README.md"));
    for (Path nb : notebooks) {
      JsonNode root = JSON.readTree(nb.toFile());
      String name = nb.getFileName().toString();
      assertEquals(4, root.path("nbformat").asInt(), name);
      assertEquals("python3", root.path("metadata").path("kernelspec").path("name").asText(), name);
      int code = 0;
      for (JsonNode cell : root.path("cells")) {
        if (cell.path("cell_type").asText().equals("code")) {
          code++;
          assertTrue(cell.path("outputs").isArray() && cell.path("outputs").isEmpty(), name + ": a cell with outputs: " + cell.path("source"));
          assertTrue(cell.path("execution_count").isNull(), name + ": a cell with an execution count");
        }
      }
      assertTrue(code >= 3, name + " has " + code + " code cells");
      assertTrue(readme.contains(name), "notebooks/README.md names " + name);
    }
  }
}
