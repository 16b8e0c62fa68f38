package io.pretext.model.method.deepcluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.Centroids;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.Methods;
import io.pretext.model.optim.OptimizerConfig;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** DeepCluster's graph and batches, its empty-cluster rule, sampling weights and saved state; the clustering epoch itself runs on Spark (spark-jobs' DeepClusterRunTest). */
class DeepClusterTest {
  private static final DeepCluster DC = new DeepCluster(new DeepClusterConfig(5, 4, 10));

  @Test
  void trainsTheEncoderToPredictTheBatchLabels() {
    ComputationGraph g = DC.build(Encoders.byName("small-cnn"), new InputShape(1, 8, 8),
        GraphSettings.of(1, OptimizerConfig.adamW(1e-2, 0, 0, 30)));
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), new long[] {10, 1, 8, 8}).castTo(DataType.FLOAT);
    int[] labels = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    MultiDataSet batch = DC.trainingBatch(new ImageBatch(x, ids(10), labels));
    assertArrayEquals(new long[] {10, 1}, batch.getLabels(0).shape());
    assertEquals(3.0, batch.getLabels(0).getDouble(3, 0));
    g.fit(batch);
    double first = g.score();
    for (int i = 0; i < 29; i++) {
      g.fit(batch);
    }
    assertTrue(g.score() < first / 4, "cross-entropy on the pseudo-labels falls: " + first + " -> " + g.score());
    // chance is ln 5 = 1.61 nats
    assertTrue(first > 1.0, "starts near chance: " + first);
  }

  @Test
  void refusesBatchesWithoutOrOutsideTheLabels() {
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> DC.trainingBatch(new ImageBatch(x, ids(2), null)));
    assertTrue(none.getMessage().contains("no labels"), none.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DC.trainingBatch(new ImageBatch(x, ids(2), new int[] {0, 5})));
    assertThrows(IllegalArgumentException.class, () -> DC.trainingBatch(new ImageBatch(x, ids(1), new int[] {0})), "two views");
  }

  @Test
  void refusesMoreClustersThanRecords() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DC.check(new RunPlan(1, 4, 1, 1, 2, 1, 2)));
    assertTrue(e.getMessage().contains("--clusters: '5'") && e.getMessage().contains("2..4"), e.getMessage());
    DC.check(new RunPlan(1, 5, 1, 1, 5, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new DeepClusterConfig(1, 4, 10));
  }

  @Test
  void anEmptyClusterTakesHalfOfADonorWithTheFaissPerturbation() {
    Centroids c = new Centroids(new double[][] {{1, 2}, {3, 4}, {5, 6}});
    long[] sizes = {1, 0, 9}; // only cluster 2 can give (cluster 0 has one member)
    Centroids split = ClusterAssignments.splitIntoEmpty(c, sizes, new SplittableRandom(1));
    double e = ClusterAssignments.EPS;
    assertArrayEquals(new double[] {5 * (1 + e), 6 * (1 - e)}, split.center(1), 1e-15, "the empty one: up on even, down on odd");
    assertArrayEquals(new double[] {5 * (1 - e), 6 * (1 + e)}, split.center(2), 1e-15, "the donor: the other way");
    assertArrayEquals(c.center(0), split.center(0), 0.0);
    assertNull(ClusterAssignments.splitIntoEmpty(c, new long[] {1, 0, 1}, new SplittableRandom(1)), "no cluster has two members");
    // donors are drawn in proportion to size - 1: cluster 1 (9 spare) far more often than cluster 0 (1 spare)
    int fromBig = 0;
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 1000; i++) {
      Centroids s = ClusterAssignments.splitIntoEmpty(c, new long[] {2, 10, 0}, rng);
      fromBig += s.center(2)[0] == 3 * (1 + e) ? 1 : 0;
    }
    assertTrue(fromBig > 850 && fromBig < 950, "9 in 10 expected, got " + fromBig + " in 1000");
  }

  @Test
  void weightsSumToTheRecordsAndAreUniformOverClusters() {
    long[] sizes = {10, 0, 30, 60};
    double[] w = ClusterAssignments.weights(sizes, 100);
    double total = 0;
    for (int c = 0; c < sizes.length; c++) {
      total += w[c] * sizes[c];
      if (sizes[c] > 0) {
        assertEquals(100.0 / 3, w[c] * sizes[c], 1e-12, "every non-empty cluster draws N / nonEmpty records");
      }
    }
    assertEquals(100, total, 1e-9);
    assertEquals(0, w[1]);
  }

  @Test
  void theStateRoundTripsAndRefusesAnotherClusterCountOrCorruptBytes() {
    ClusterAssignments a = new ClusterAssignments(DC, new RunPlan(1, 100, 3, 1, 10, 1, 10));
    assertEquals(0, a.save().length, "nothing to save before the first clustering");
    a.restore(new byte[0]);
    assertTrue(a.recordTable().isEmpty());
    byte[] name = "deepcluster-epoch-00002".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] uri = "file:/r/state/deepcluster-epoch-00002".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] saved = java.nio.ByteBuffer.allocate(4 * 5 + 8 + name.length + uri.length).putInt(0x44436c31).putInt(2).putInt(5).putLong(100)
        .putInt(name.length).put(name).putInt(uri.length).put(uri).array();
    a.restore(saved);
    assertEquals("deepcluster-epoch-00002", a.recordTable().orElseThrow().name());
    assertArrayEquals(saved, a.save());
    assertEquals(java.util.Set.of("deepcluster-epoch-00002"), a.tables());
    ClusterAssignments other = new ClusterAssignments(new DeepCluster(new DeepClusterConfig(7, 4, 10)), new RunPlan(1, 100, 3, 1, 10, 1, 10));
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> other.restore(saved));
    assertTrue(k.getMessage().contains("--clusters 7"), k.getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.restore(java.util.Arrays.copyOf(saved, 30)));
    byte[] elsewhere = saved.clone();
    elsewhere[elsewhere.length - 1] = 'x';
    assertThrows(IllegalArgumentException.class, () -> a.restore(elsewhere), "a table location that is not the named table");
  }

  @Test
  void registeredWithItsOptions() {
    DeepCluster d = (DeepCluster) Methods.withDefaults("deepcluster");
    assertEquals(DeepClusterConfig.defaults(), d.config());
    assertEquals(1, d.views());
  }

  private static String[] ids(int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = "r" + i;
    }
    return out;
  }
}
