package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * XGBoost4J's collective as the all-reduce trainer uses it, without Spark: two workers on two threads of one JVM (the
 * communicator is thread-local). A large buffer (8 M floats, more than any chunk size the ring may use) sums exactly
 * where float addition of two values is exact, and every worker receives the same bits; a worker whose peer stops
 * taking part gets an error after the timeout instead of its own values passed off as the sum (XGBoost4J's public
 * {@code allReduce} ignores the native call's return code). And the settings barrier mode cannot run with are refused,
 * naming the fix.
 */
class CollectiveTest {

  @Test
  void twoWorkersSumALargeBufferToTheSameBits() throws Exception {
    int n = 8 << 20;
    try (Collective.Tracker tracker = new Collective.Tracker(2, "127.0.0.1", 30)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<CompletableFuture<float[]>> results = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          int worker = w;
          results.add(CompletableFuture.supplyAsync(() -> {
            try (Collective ring = Collective.join(tracker.address(), worker, 30)) {
              assertEquals(worker, Collective.rankAndSize()[0]);
              assertEquals(2, Collective.rankAndSize()[1]);
              float[] v = new float[n];
              for (int i = 0; i < n; i++) {
                v[i] = worker == 0 ? i * 0.25f : -0.5f * (i % 1000);
              }
              ring.sum(v);
              ring.sum(new float[] {worker}); // a second, smaller call reuses the buffer
              return v;
            }
          }, pool));
        }
        float[] a = results.get(0).get(120, TimeUnit.SECONDS);
        float[] b = results.get(1).get(120, TimeUnit.SECONDS);
        for (int i = 0; i < n; i += 997) {
          assertEquals(i * 0.25f + -0.5f * (i % 1000), a[i], 0f, "element " + i);
        }
        assertEquals((n - 1) * 0.25f + -0.5f * ((n - 1) % 1000), a[n - 1], 0f, "the last element");
        assertTrue(java.util.Arrays.equals(a, b), "both workers hold the same bits");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aWorkerWhosePeerStopsGetsAnErrorNotItsOwnValues() throws Exception {
    try (Collective.Tracker tracker = new Collective.Tracker(2, "127.0.0.1", 5)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CompletableFuture<Void> quitter = CompletableFuture.runAsync(() -> {
          try (Collective ring = Collective.join(tracker.address(), 1, 5)) {
            ring.sum(new float[] {1f}); // one round together, then it leaves
          }
        }, pool);
        CompletableFuture<String> stayer = CompletableFuture.supplyAsync(() -> {
          try (Collective ring = Collective.join(tracker.address(), 0, 5)) {
            ring.sum(new float[] {2f});
            float[] v = {7f, 8f};
            try {
              ring.sum(v);
              return "returned " + java.util.Arrays.toString(v);
            } catch (IllegalStateException e) {
              return "error: " + e.getMessage();
            }
          }
        }, pool);
        quitter.get(60, TimeUnit.SECONDS);
        String outcome = stayer.get(120, TimeUnit.SECONDS);
        assertTrue(outcome.startsWith("error: all-reduce of 2 floats failed"), outcome);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void refusesDynamicAllocationAndTooFewSlotsNamingTheFix() {
    SparkConf dynamic = new SparkConf(false).set("spark.dynamicAllocation.enabled", "true");
    Optional<String> d = AllReduceAveraging.refusal(dynamic, false, 8, 4);
    assertTrue(d.orElseThrow().contains("spark.dynamicAllocation.enabled=false"), d.toString());
    Optional<String> cluster = AllReduceAveraging.refusal(new SparkConf(false).set("spark.task.cpus", "2"), false, 3, 4);
    assertTrue(cluster.orElseThrow().contains("at least 8 cores"), cluster.toString());
    assertTrue(cluster.get().contains("3 task slots"), cluster.toString());
    assertEquals(Optional.empty(), AllReduceAveraging.refusal(new SparkConf(false), false, 4, 4));
  }
}
