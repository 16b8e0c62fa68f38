package io.pretext.model.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * OpenMP's team size is per thread: {@link NativeThreads#set} reaches the calling thread only, and
 * {@link NativeThreads#applyToCurrentThread()} is what gives another thread (a Spark task thread) the same count.
 */
class NativeThreadsTest {

  @Test
  void setReachesTheCallingThreadAndApplyToCurrentThreadTheOthers() throws InterruptedException {
    int before = ompMaxThreads();
    try {
      NativeThreads.set(1);
      assertEquals(1, ompMaxThreads(), "the calling thread");
      assertEquals(1, NativeThreads.configured());
      int processDefault = onNewThread(() -> { });
      int applied = onNewThread(NativeThreads::applyToCurrentThread);
      assertEquals(1, applied, "a new thread after applyToCurrentThread");
      // what a thread that never applies it sees: the process default (the core count), not 1, unless the machine
      // has one core or OMP_NUM_THREADS says so
      assertEquals(defaultTeamSize(), processDefault, "a new thread without applyToCurrentThread");
    } finally {
      NativeThreads.set(before);
    }
  }

  @Test
  void refusesLessThanOneThread() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.set(0));
    assertEquals("native threads must be >= 1, got 0", e.getMessage());
  }

  private static int defaultTeamSize() {
    String env = System.getenv("OMP_NUM_THREADS");
    if (env != null && env.matches("\\d+")) {
      return Integer.parseInt(env);
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static int ompMaxThreads() {
    Nd4j.getExecutioner(); // loads the backend, which NativeOpsHolder needs
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }

  private static int onNewThread(Runnable before) throws InterruptedException {
    AtomicInteger seen = new AtomicInteger(-1);
    Thread t = new Thread(() -> {
      before.run();
      seen.set(ompMaxThreads());
    });
    t.start();
    t.join();
    return seen.get();
  }
}
