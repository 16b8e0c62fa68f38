package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** metrics.jsonl read as series: sessions of a resumed run, training time, epoch boundaries, bad lines. */
class RunMetricsTest {

  static String round(int epoch, long done, double elapsed) {
    return "{\"type\":\"round\",\"epoch\":" + epoch + ",\"round\":0,\"roundsDone\":" + done + ",\"totalRounds\":6,\"loss\":4.1,"
        + "\"lr\":0.001,\"images\":256,\"seconds\":2.0,\"imagesPerSecond\":128.0,\"viewSeconds\":0.2,\"fitSeconds\":1.7,"
        + "\"averagingSeconds\":0.1,\"elapsedSeconds\":" + elapsed + ",\"etaSeconds\":3.0}";
  }

  @Test
  void aResumedRunHasTwoSessionsAndTheirTimesAdd() {
    RunMetrics m = RunMetrics.parse(List.of(round(0, 1, 10), round(0, 2, 20), round(1, 3, 31),
        "{\"type\":\"knn\",\"epoch\":0,\"roundsDone\":2,\"accuracy\":0.5,\"seconds\":1.0}",
        // resumed from the checkpoint at round 3: the clock starts again
        round(1, 4, 12), round(2, 5, 25), round(2, 6, 37)));
    assertEquals(6, m.rounds().size());
    assertEquals(2, m.sessions());
    assertEquals(31 + 37, m.trainingSeconds(), 1e-9);
    assertArrayEquals(new double[] {2.5, 4.5}, m.epochStarts(), 1e-9);
    assertEquals(List.of(new RunMetrics.Monitor("knn", 0, 2, 0.5, Double.NaN)), m.monitor());
    assertEquals("images", m.unit());
    assertEquals(128.0, m.rounds().get(0).perSecond());
  }

  @Test
  void badLinesAreListedNotFatal() {
    RunMetrics m = RunMetrics.parse(List.of(round(0, 1, 1), "{\"type\":\"round\",\"epo", "{\"type\":\"round\",\"epoch\":0}",
        "{\"type\":\"something-new\"}"));
    assertEquals(1, m.rounds().size());
    assertEquals(List.of("line 2: not JSON", "line 3: a round without roundsDone or loss"), m.malformed());
  }

  @Test
  void textRunsCountTokens() {
    RunMetrics m = RunMetrics.parse(List.of(round(0, 1, 1).replace("imagesPerSecond", "tokensPerSecond"),
        "{\"type\":\"mlm\",\"epoch\":0,\"roundsDone\":1,\"accuracy\":0.25,\"perplexity\":40.5,\"crossEntropy\":3.70,"
            + "\"targets\":4000,\"windows\":2048,\"seconds\":1.5}"));
    assertEquals("tokens", m.unit());
    assertEquals(List.of(new RunMetrics.Monitor("mlm", 0, 1, 0.25, 40.5)), m.monitor());
    assertEquals(128.0, m.rounds().get(0).perSecond());
    assertTrue(RunMetrics.parse(List.of()).rounds().isEmpty());
    assertEquals(0, RunMetrics.parse(List.of()).sessions());
  }
}
