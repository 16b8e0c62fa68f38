package io.pretext.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.jobs.train.worker.ParameterAveraging;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.Representations;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Formats users have on disk must keep loading (Tribuo-style): a checkpoint and a dataset manifest
 * written by Pretext 0.1.0 are kept in the test resources, and today's code must read them and
 * compute the same representation. {@link #main} is the method that generated the checkpoint.
 */
class CheckpointCompatibilityTest {
  /** Representation of {@link #probe()} computed by 0.1.0 right after writing the checkpoint (first 4 of 128, and the sum). */
  private static final float[] EXPECTED_HEAD = {0.70482886f, 0.37397438f, 1.0193164f, 0.3219513f};
  private static final double EXPECTED_SUM = 29.510742248268798;

  @Test
  void checkpointFromVersion010LoadsAndRepresentsTheSame() throws URISyntaxException {
    Path dir = Path.of(getClass().getResource("/compat/checkpoint-0.1.0").toURI());
    Checkpoint c = RunDirectory.resolve(dir.toString(), new Configuration());
    assertEquals("simclr", c.info().method());
    assertEquals("small-cnn", c.info().encoder());
    assertEquals(7, c.info().seed());
    ComputationGraph g = c.loadModel(new Configuration());
    INDArray r = Representations.of(g, c.info().representationVertex(), probe());
    float[] v = r.toFloatVector();
    assertEquals(128, v.length);
    for (int i = 0; i < EXPECTED_HEAD.length; i++) {
      assertEquals(EXPECTED_HEAD[i], v[i], 1e-5, "representation[" + i + "]");
    }
    assertEquals(EXPECTED_SUM, sum(v), 1e-3);
  }

  /**
   * A run written before the method lifecycle resumes on today's trainer: the 0.1.0 checkpoint's network and Adam state
   * (written by DL4J's training master's era) load into {@code ParameterAveraging}, its method state is none, and a
   * round trains it on from its recorded iteration count.
   */
  @Test
  void checkpointFromVersion010TrainsOnWithTodaysTrainer() throws URISyntaxException {
    Path dir = Path.of(getClass().getResource("/compat/checkpoint-0.1.0").toURI());
    Checkpoint c = RunDirectory.resolve(dir.toString(), new Configuration());
    assertEquals(0, c.loadState(new Configuration()).length, "no method state in 0.1.0");
    assertEquals(java.util.Set.of(), c.stateTables(new Configuration()));
    ComputationGraph g = c.loadModel(new Configuration());
    INDArray before = g.params().dup();
    SslMethod method = io.pretext.jobs.pretrain.MethodRebuild.method(c.info());
    assertEquals(MethodState.NONE, method.newState(new RunPlan(7, 8, 1, 1, 4, 1, 2)));
    org.apache.spark.api.java.JavaSparkContext sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
        io.pretext.data.testing.SharedSpark.get().sparkContext());
    ParameterAveraging trainer = new ParameterAveraging(sc, g, method, new RunPlan(7, 8, 1, 1, 4, 1, 2));
    MultiDataSet batch = ((MultiViewMethod) method).trainingBatch(ImageBatch.of(
        Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), new long[] {8, 1, 16, 16}).castTo(DataType.FLOAT), 2));
    double[] losses = new double[5];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = trainer.fitRound(sc.parallelize(List.of(batch), 1), null).stats().loss();
    }
    trainer.close();
    // The checkpoint is an untrained init: NT-Xent over 2N = 8 views of embeddings that carry no information is ln(2N - 1).
    assertEquals(Math.log(7), losses[0], 0.15, "first round's loss " + Arrays.toString(losses));
    // Five steps on the same batch must fit it: the loss falls by more than 0.5 (it went 1.91 -> 0.95 when written).
    assertTrue(losses[4] < losses[0] - 0.5, "the loss did not fall: " + Arrays.toString(losses));
    assertEquals(c.info().iterations() + 5, g.getIterationCount(), "one step per round from the checkpoint's recorded count");
    assertTrue(g.params().sub(before).amaxNumber().doubleValue() > 0, "the driver's network holds the trained parameters");
  }

  @Test
  void manifestFromVersion010Loads() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/compat/manifest-0.1.0.json")) {
      DatasetManifest m = DatasetManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(1, m.schemaVersion());
      assertEquals("image", m.kind());
      assertEquals(10_000, m.counts().seen());
      assertEquals(10_000, m.totalRecords());
      assertEquals(16, m.shards().size());
      assertEquals(new DatasetManifest.ImageGeometry(1, 28, 28), m.image());
      assertEquals(null, m.text(), "written before text datasets existed");
    }
  }

  /** A fixed 1x16x16 input: a diagonal gradient. */
  static INDArray probe() {
    float[] x = new float[256];
    for (int i = 0; i < 256; i++) {
      x[i] = ((i / 16) + (i % 16)) / 30f;
    }
    return Nd4j.create(x, new long[] {1, 1, 16, 16}, 'c');
  }

  static double sum(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s;
  }

  /** Regenerates the checkpoint fixture: {@code main(outputDir)}; prints the values to pin above. */
  public static void main(String[] args) {
    SimClr method = new SimClr(new SimClrConfig(0.5, new ProjectionHead(List.of(32), 16, false)));
    ComputationGraph g = method.build(Encoders.byName("small-cnn"), new InputShape(1, 16, 16),
        GraphSettings.of(7, OptimizerConfig.adamW(1e-3, 1e-4, 1, 10)));
    // Version 0.1.0 wrote run.json format 1; this version writes format 2 (the fixture on disk stays format 1).
    RunInfo info = new RunInfo(RunInfo.FORMAT_VERSION, method.name(), "small-cnn", method.representationVertex(), 128,
        InputInfo.of(new InputShape(1, 16, 16)), new TreeMap<>(), "file:/compat/dataset", "0".repeat(64), new TreeMap<>(), "fixture",
        7, 0, 0, 0, 0, 0, Double.NaN, true);
    Path out = Path.of(args[0]);
    RunDirectory run = new RunDirectory(out.toString(), new Configuration());
    Checkpoint c = run.save(g, info, new byte[0], java.util.Map.of(), 1);
    float[] v = Representations.of(g, method.representationVertex(), probe()).toFloatVector();
    System.out.println(c.dir() + " head " + v[0] + "f, " + v[1] + "f, " + v[2] + "f, " + v[3] + "f sum " + sum(v));
  }
}
