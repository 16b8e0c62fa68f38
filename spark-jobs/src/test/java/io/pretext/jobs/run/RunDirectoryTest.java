package io.pretext.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash while writing a checkpoint never leaves one that looks complete; pruning keeps the newest. */
class RunDirectoryTest {
  @TempDir Path tmp;

  private Path copyFixture(Path checkpoints, String name, boolean withRunJson) throws IOException, URISyntaxException {
    Path src = Path.of(getClass().getResource("/compat/checkpoint-0.1.0").toURI());
    Path dir = Files.createDirectories(checkpoints.resolve(name));
    Files.copy(src.resolve("model.zip"), dir.resolve("model.zip"));
    if (withRunJson) {
      String json = Files.readString(src.resolve("run.json")).replace("\"roundsDone\" : 0", "\"roundsDone\" : " + Integer.parseInt(name.replaceAll(".*round-(\\d+).*", "$1")));
      Files.writeString(dir.resolve("run.json"), json);
    }
    return dir;
  }

  @Test
  void halfWrittenCheckpointsAreIgnoredAndCleanedUp() throws Exception {
    Path checkpoints = Files.createDirectories(tmp.resolve("run/checkpoints"));
    copyFixture(checkpoints, "round-000010", true);
    copyFixture(checkpoints, "round-000030", false);          // crashed before run.json: not complete
    Path tmpDir = copyFixture(checkpoints, ".tmp-round-000040-123", true); // crashed before the rename
    RunDirectory run = new RunDirectory(tmp.resolve("run").toString(), new Configuration());
    assertEquals(1, run.checkpoints().size());
    assertEquals(10, run.latest().orElseThrow().info().roundsDone());

    // The next save completes, prunes to `keep`, and removes the leftover temporary directory.
    Checkpoint c = run.latest().orElseThrow();
    RunInfo next = c.info().at(0, 20, 20, 40, 1.5, false);
    run.save(c.loadModel(new Configuration()), next, new byte[0], java.util.Map.of(), 1);
    assertEquals(20, run.latest().orElseThrow().info().roundsDone());
    assertEquals(1, run.checkpoints().size());
    assertFalse(Files.exists(tmpDir));
    assertTrue(Files.exists(tmp.resolve("run/run.json")));
  }
}
