package io.pretext.jobs.train.worker;

import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.MethodState;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Synchronous parameter averaging (McDonald et al. 2010; Zinkevich et al. 2010; DL4J's
 * {@code ParameterAveragingTrainingMaster}) on Pretext's own worker loop. Per round:
 * <ol>
 *   <li>the driver broadcasts its parameters, optimiser state, iteration and epoch counts and the method state's
 *       {@code forWorkers()} ({@link RoundStart}; the configuration JSON is broadcast once per run);
 *   <li>every worker fits its partition's minibatches from there with the method's steps ({@link WorkerLoop});
 *   <li>a {@code treeAggregate} of depth 2 sums parameters, optimiser state (Adam's moments: averaged and carried across
 *       rounds), losses and timings ({@link RoundSum}); the driver divides by the workers, advances the iteration count
 *       by the most steps a worker took, and merges the workers' state parts by their rules.
 * </ol>
 * With one worker this is sequential DL4J training exactly (ParameterAveragingTest). Each round's broadcast is
 * destroyed when the round ends: left to Spark's {@code ContextCleaner}, the driver's block manager and every
 * executor would keep each round's copy until a full garbage collection.
 *
 * <p>The network must be of data type FLOAT (parameters travel as {@code float[]}).
 */
public final class ParameterAveraging implements DistributedTrainer {
  /** Depth of the aggregation tree: workers' results are summed in the executors before the driver sees them. */
  static final int AGGREGATION_DEPTH = 2;
  /** The Spark setting of DL4J's training approach, which this trainer replaced; refused if set to anything but direct. */
  static final String OLD_APPROACH = "spark.pretext.train.approach";

  private final JavaSparkContext sc;
  private final ComputationGraph network;
  private final SslMethod method;
  private final RunPlan plan;
  private final Broadcast<String> configuration;

  /**
   * @param network the driver's network, trained in place
   * @param method the method whose worker steps run around every optimiser step
   * @param plan the run's plan (the workers' schedules read it)
   */
  public ParameterAveraging(JavaSparkContext sc, ComputationGraph network, SslMethod method, RunPlan plan) {
    if (network.params().dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("distributed training needs a FLOAT network, not " + network.params().dataType());
    }
    String approach = sc.getConf().get(OLD_APPROACH, "direct");
    if (!approach.equalsIgnoreCase("direct")) {
      throw new IllegalArgumentException("invalid value for --conf " + OLD_APPROACH + ": '" + approach + "' (DL4J's Export "
          + "approach went with DL4J's training master; Pretext's workers read their minibatches from Spark directly: remove the setting)");
    }
    this.sc = sc;
    this.network = network;
    this.method = method;
    this.plan = plan;
    this.configuration = sc.broadcast(network.getConfiguration().toJson());
  }

  /** One round per call: the driver averages every round. */
  @Override
  public int roundsPerCall(long roundsDone, int roundsLeft) {
    return 1;
  }

  /**
   * Materialises each round's minibatches first (persisted and counted, so that making them is measured apart from
   * training), then {@link #fitRound}s them with the state's {@code forWorkers()} and hands the state the merged parts.
   */
  @Override
  public void fitRounds(long roundsDone, List<JavaRDD<MultiDataSet>> rounds, MethodState state, RoundSink sink) {
    for (int i = 0; i < rounds.size(); i++) {
      long t0 = System.nanoTime();
      JavaRDD<MultiDataSet> data = rounds.get(i).persist(StorageLevel.MEMORY_AND_DISK_SER());
      RoundResult result;
      long viewMillis;
      try {
        data.count();
        viewMillis = (System.nanoTime() - t0) / 1_000_000;
        result = fitRound(data, state.forWorkers());
      } finally {
        data.unpersist(false);
      }
      state.onRoundEnd(result.contributions());
      RoundStats s = result.stats();
      sink.onRound(i, new RoundStats(s.loss(), viewMillis, s.workerFitMillis(), (System.nanoTime() - t0) / 1_000_000));
    }
  }

  /**
   * Trains one round from the driver's parameters: broadcast, fit, {@code treeAggregate}, average.
   *
   * @param fromDriver the method state's {@code forWorkers()} for this round, broadcast to the workers (null: nothing)
   * @return its loss and timing (no view time: {@code round} is made already) and the workers' parts merged
   */
  public RoundResult fitRound(JavaRDD<MultiDataSet> round, Serializable fromDriver) {
    long t0 = System.nanoTime();
    ComputationGraphConfiguration conf = network.getConfiguration();
    Broadcast<RoundStart> start = sc.broadcast(RoundStart.of(network, fromDriver));
    RoundSum sum;
    try {
      sum = round.mapPartitions(new WorkerLoop(configuration, start, method, plan))
          .treeAggregate(new RoundSum(), RoundSum::add, RoundSum::merge, AGGREGATION_DEPTH);
    } finally {
      start.destroy(false);
    }
    long wall = (System.nanoTime() - t0) / 1_000_000;
    if (sum.workers == 0) {
      return new RoundResult(new RoundStats(Double.NaN, 0, 0, wall), RoundContributions.NONE);
    }
    WorkerLoop.set(network, new RoundStart(divide(sum.params, sum.workers), sum.updater == null ? null : divide(sum.updater, sum.workers),
        conf.getIterationCount() + sum.maxSteps, conf.getEpochCount(), null));
    long fitMillis = sum.fitNanos / sum.workers / 1_000_000;
    RoundStats stats = new RoundStats(sum.lossSum / sum.steps, 0, Math.min(fitMillis, wall), wall);
    return new RoundResult(stats, sum.contributions());
  }

  private static float[] divide(float[] sum, int n) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= n;
    }
    return sum;
  }

  @Override
  public ComputationGraph network() {
    return network;
  }

  /** Releases the run's configuration broadcast. */
  public void close() {
    configuration.destroy(false);
  }
}
