package io.pretext.jobs.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live run keeps a second one out; a crashed run's lock goes stale and is taken over. Short heartbeat and timeout
 * (100 ms, 600 ms) stand in for the production 15 s and 90 s.
 */
class RunLockTest {
  @TempDir java.nio.file.Path tmp;

  private RunLock acquire(List<String> progress) {
    return RunLock.acquire(new Path(tmp.resolve("run").toString()), new Configuration(), 100, 600, progress::add);
  }

  @Test
  void aLiveRunKeepsASecondOneOutAndReleasesOnClose() {
    List<String> progress = new ArrayList<>();
    try (RunLock first = acquire(progress)) {
      long start = System.nanoTime();
      RunException e = assertThrows(RunException.class, () -> acquire(progress));
      assertTrue(e.getMessage().contains("in use by a live pretrain") && e.getMessage().contains("pid"), e.getMessage());
      assertTrue((System.nanoTime() - start) / 1e6 < 600, "a live owner is recognised by its heartbeat, before the timeout");
    }
    assertFalse(Files.exists(tmp.resolve("run").resolve(RunLock.FILE_NAME)), "closing removes the lock");
    try (RunLock again = acquire(progress)) {
      assertTrue(Files.exists(tmp.resolve("run").resolve(RunLock.FILE_NAME)));
    }
  }

  @Test
  void aCrashedRunsLockGoesStaleAndIsTakenOver() throws Exception {
    Files.createDirectories(tmp.resolve("run"));
    Files.writeString(tmp.resolve("run").resolve(RunLock.FILE_NAME), "pid 1 on gone-host, heartbeat 0\n");
    List<String> progress = new ArrayList<>();
    try (RunLock taken = acquire(progress)) {
      assertTrue(progress.stream().anyMatch(l -> l.contains("taking over")), progress.toString());
      assertTrue(Files.readString(tmp.resolve("run").resolve(RunLock.FILE_NAME)).contains("pid " + ProcessHandle.current().pid()));
    }
  }
}
