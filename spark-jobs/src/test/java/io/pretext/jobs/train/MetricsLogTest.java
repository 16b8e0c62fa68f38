package io.pretext.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.jobs.run.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics.jsonl is appended to and flushed line by line; on resume, lines past the checkpoint go, and a line that is
 * not JSON (a crash mid-write) goes with a note on the progress stream, never silently.
 */
class MetricsLogTest {
  @TempDir Path tmp;

  @Test
  void resumeKeepsTheHistoryUpToTheCheckpointAndReportsWhatItDrops() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
        "{\"type\":\"round\",\"roundsDone\":1}",
        "{\"type\":\"round\",\"roundsDone\":2}",
        "{\"type\":\"round\",\"roundsD",
        "{\"type\":\"round\",\"roundsDone\":3}") + "\n");
    StringWriter progress = new StringWriter();
    try (MetricsLog log = new MetricsLog(new RunDirectory(run.toString(), new Configuration()), 2, "images", new PrintWriter(progress))) {
      assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "rounds after the checkpoint are gone");
      assertTrue(progress.toString().contains("dropping line 3") && progress.toString().contains("not JSON"), progress.toString());
      log.append(Map.of("type", "knn", "roundsDone", 3));
      List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
      assertEquals(3, lines.size(), "each record is on disk as soon as it is appended");
      assertTrue(lines.get(2).contains("\"knn\""), lines.get(2));
    }
  }
}
