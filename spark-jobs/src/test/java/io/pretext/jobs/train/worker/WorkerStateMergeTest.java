package io.pretext.jobs.train.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.train.DistributedTrainer.RoundResult;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Worker state comes back merged by each part's declared rule, through a real Spark round: two workers of three steps
 * each, every step recording which worker and step it was (read from the minibatch it fitted, whose pixels carry
 * {@code 10 * worker + step}). {@code CONCAT} rows arrive in (step, worker) order; {@code AVERAGE} is the element-wise
 * mean; {@code KEEP_DRIVER} never reaches the driver; the driver's value sent with the round reaches every worker; and
 * more partitions than workers with data (empty ones) change nothing.
 */
class WorkerStateMergeTest {
  private static final InputShape SHAPE = new InputShape(1, 4, 4);

  /** SimCLR's graph with steps that record what they fitted. */
  static final class Recording implements MultiViewMethod {
    private static final long serialVersionUID = 1L;
    private final SimClr simclr = new SimClr(SimClrConfig.defaults());

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int views() {
      return 2;
    }

    @Override
    public ViewDefaults viewDefaults() {
      return ViewDefaults.TWO_VIEWS;
    }

    @Override
    public MultiDataSet trainingBatch(ImageBatch batch) {
      return simclr.trainingBatch(batch);
    }

    @Override
    public ComputationGraphConfiguration configure(EncoderSpec encoder, ModelInput input, GraphSettings settings) {
      return simclr.configure(encoder, input, settings);
    }

    @Override
    public String representationVertex() {
      return simclr.representationVertex();
    }

    @Override
    public WorkerSteps workerSteps(Serializable fromDriver, RunPlan plan) {
      float offset = (Float) fromDriver;
      return new WorkerSteps() {
        final List<float[]> rows = new ArrayList<>();
        float sum;

        @Override
        public void afterStep(ComputationGraph network, MultiDataSet batch, StepResult step) {
          float tag = batch.getFeatures(0).getFloat(0); // 10 * worker + step
          rows.add(new float[] {tag, offset, (float) step.loss()});
          sum += tag;
        }

        @Override
        public List<StatePart> endOfRound() {
          return List.of(StatePart.concat("seen", 3, rows), StatePart.average("mean", new float[] {sum / rows.size(), 1}),
              new StatePart("private", Merge.KEEP_DRIVER, 1, List.of(new float[] {42})));
        }
      };
    }
  }

  private static MultiDataSet batch(MultiViewMethod m, int worker, int step) {
    return m.trainingBatch(ImageBatch.of(Nd4j.valueArrayOf(new long[] {4, 1, 4, 4}, 10f * worker + step, DataType.FLOAT), 2));
  }

  @Test
  void partsAreMergedByTheirRules() {
    Recording m = new Recording();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    ComputationGraph net = m.build(Encoders.byName("small-cnn"), SHAPE, GraphSettings.of(1, OptimizerConfig.adamW(1e-3, 0, 0, 10)));
    ParameterAveraging trainer = new ParameterAveraging(sc, net, m, new RunPlan(1, 12, 1, 2, 2, 3, 1));
    List<MultiDataSet> round = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      for (int s = 0; s < 3; s++) {
        round.add(batch(m, w, s));
      }
    }
    // 4 partitions: worker 0's three minibatches, worker 1's, and two empty ones
    JavaRDD<MultiDataSet> rdd = sc.parallelize(round, 2).union(sc.parallelize(List.<MultiDataSet>of(), 2));
    RoundResult r = trainer.fitRound(rdd, 0.5f);
    RoundContributions c = r.contributions();
    RoundContributions.Merged seen = c.part("seen").orElseThrow();
    assertEquals(Merge.CONCAT, seen.merge());
    assertEquals(2, seen.workers());
    float[] v = seen.values();
    float[] tags = new float[6];
    float[] offsets = new float[6];
    double lossSum = 0;
    for (int i = 0; i < 6; i++) {
      tags[i] = v[3 * i];
      offsets[i] = v[3 * i + 1];
      lossSum += v[3 * i + 2];
    }
    assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12}, tags, "(step, worker) order");
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, offsets, "each worker given the driver's value");
    assertEquals(lossSum / 6, r.stats().loss(), 1e-5, "the round's loss is the mean of what the steps reported");
    RoundContributions.Merged mean = c.part("mean").orElseThrow();
    assertArrayEquals(new float[] {(1 + 11) / 2f, 1}, mean.values(), 1e-6f, "mean over workers of each worker's mean tag");
    assertFalse(c.part("private").isPresent(), "kept on the driver: never sent");
    assertEquals(3, net.getConfiguration().getIterationCount(), "the driver counts the 3 steps a worker took (from 0)");
  }
}
