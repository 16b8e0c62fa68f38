package io.pretext.jobs.train.dl4j;

import io.pretext.jobs.train.DistributedTrainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats;
import org.deeplearning4j.spark.stats.EventStats;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link DistributedTrainer} on DL4J's {@link ParameterAveragingTrainingMaster} (dl4j-spark3 1.0.0-M2).
 *
 * <p>Settings that matter, read from the dl4j-spark3 sources:
 * <ul>
 *   <li>each {@code fit} is given exactly {@code workers x averagingFrequency} DataSets, so the
 *       master makes a single split (no random resampling) and one averaging per call;
 *   <li>{@link Repartition#Never}: the batches arrive already laid out one partition per worker,
 *       deterministically; DL4J's balanced repartition would shuffle them again;
 *   <li>{@link RDDTrainingApproach#Direct}: the default {@code Export} writes every minibatch to
 *       disk first, which is wasted work when views are regenerated every epoch;
 *   <li>no storage level: the master persists its input but never unpersists it; the caller
 *       persists each round and releases it afterwards;
 *   <li>{@code saveUpdater(true)}: Adam's moments are averaged and carried across rounds.
 * </ul>
 * The master advances the driver's iteration count by {@code averagingFrequency} per round, which
 * is what drives the learning-rate schedule.
 */
public final class ParameterAveragingTrainer implements DistributedTrainer {
  private final SparkComputationGraph spark;
  private final int averagingFrequency;
  private long fitSoFar;
  private long fitEventsSoFar;

  /**
   * @param rowsPerBatch rows of one worker minibatch (views x images for multi-view methods)
   */
  public ParameterAveragingTrainer(JavaSparkContext sc, ComputationGraph network, int workers, int rowsPerBatch,
      int averagingFrequency, long seed, boolean collectStats) {
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, rowsPerBatch)
        .workerPrefetchNumBatches(0)
        .batchSizePerWorker(rowsPerBatch)
        .averagingFrequency(averagingFrequency)
        .aggregationDepth(2)
        .repartionData(Repartition.Never)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(null)
        .saveUpdater(true)
        .rngSeed(seed)
        .collectTrainingStats(collectStats)
        .build();
    this.spark = new SparkComputationGraph(sc, network, master);
    this.averagingFrequency = averagingFrequency;
  }

  @Override
  public RoundStats fitRound(JavaRDD<DataSet> round) {
    long t0 = System.nanoTime();
    spark.fit(round);
    long wall = (System.nanoTime() - t0) / 1_000_000;
    // The master's statistics accumulate over the run: take this round's share of worker fit time.
    long fitSum = 0;
    long fitCount = 0;
    SparkTrainingStats stats = spark.getSparkTrainingStats();
    if (stats != null) {
      SparkTrainingStats workers = stats.getNestedTrainingStats();
      if (workers != null && workers.getKeySet().contains(ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_FIT_TIMES_MS)) {
        for (EventStats e : workers.getValue(ParameterAveragingTrainingWorkerStats.PARAMETER_AVERAGING_WORKER_FIT_TIMES_MS)) {
          fitSum += e.getDurationMs();
          fitCount++;
        }
      }
    }
    long roundFit = fitSum - fitSoFar;
    long roundEvents = fitCount - fitEventsSoFar;
    fitSoFar = fitSum;
    fitEventsSoFar = fitCount;
    long perWorker = roundEvents == 0 ? 0 : roundFit * averagingFrequency / roundEvents;
    return new RoundStats(spark.getScore(), Math.min(perWorker, wall), wall);
  }

  @Override
  public ComputationGraph network() {
    return spark.getNetwork();
  }
}
