package io.pretext.jobs.train.dl4j;

import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.method.UpdateHook;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@link DistributedTrainer} on DL4J's {@link ParameterAveragingTrainingMaster} (dl4j-spark3 1.0.0-M2).
 *
 * <p>Settings that matter, read from the dl4j-spark3 sources:
 * <ul>
 *   <li>each {@code fit} is given exactly {@code workers x averagingFrequency} MultiDataSets, so the
 *       master makes a single split (no random resampling) and one averaging per call;
 *   <li>the worker re-batches what it receives into minibatches of {@code batchSizePerWorker} rows
 *       (IteratorMultiDataSetIterator: it merges or splits MultiDataSets by the first feature array's
 *       rows), so {@code rddDataSetNumExamples = batchSizePerWorker = rowsPerBatch}, the rows of every
 *       minibatch the method made: each worker then fits them one by one, unchanged;
 *   <li>{@link Repartition#Never}: the batches arrive already laid out one partition per worker,
 *       deterministically; DL4J's balanced repartition would shuffle them again;
 *   <li>{@link RDDTrainingApproach#Direct}: the default {@code Export} writes every minibatch to
 *       disk first, which is wasted work when views are regenerated every epoch;
 *   <li>no storage level: the master persists its input but never unpersists it; the caller
 *       persists each round and releases it afterwards;
 *   <li>{@code saveUpdater(true)}: Adam's moments are averaged and carried across rounds;
 *   <li>the master advances the driver's iteration count by {@code averagingFrequency} per round,
 *       but its workers restart from 0 every round (a DL4J defect, see {@link IterationCountHook});
 *       that hook hands them the driver's count, which the learning-rate schedule and Adam's bias
 *       correction read;
 *   <li>{@link NativeThreadsHook} gives every worker thread the JVM's native thread count (OpenMP's is per thread);
 *   <li>no DL4J training statistics (they keep every event of the run in the driver):
 *       {@link FitTimeHook} times the workers' fits through two accumulators instead;
 *   <li>the method's {@link UpdateHook} runs on the worker after every optimiser step
 *       ({@link MethodUpdateHook}), after the iteration count is set and advanced.
 * </ul>
 */
public final class ParameterAveragingTrainer implements DistributedTrainer {
  private final SparkComputationGraph spark;
  private final int averagingFrequency;
  private final IterationCountHook counts = new IterationCountHook();
  private final LongAccumulator fitNanos;
  private final LongAccumulator fits;

  /**
   * @param rowsPerBatch rows of the first feature array of every minibatch (records x the method's examples per record)
   * @param hook the method's work after each optimiser step on a worker ({@link UpdateHook#NONE} for none)
   */
  public ParameterAveragingTrainer(JavaSparkContext sc, ComputationGraph network, int workers, int rowsPerBatch, int averagingFrequency,
      long seed, UpdateHook hook) {
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
        .collectTrainingStats(false)
        .build();
    fitNanos = sc.sc().longAccumulator("pretext.fitNanos");
    fits = sc.sc().longAccumulator("pretext.fits");
    master.addHook(new NativeThreadsHook());
    master.addHook(counts);
    master.addHook(new FitTimeHook(fitNanos, fits));
    if (hook != UpdateHook.NONE) {
      master.addHook(new MethodUpdateHook(hook));
    }
    this.spark = new SparkComputationGraph(sc, network, master);
    this.averagingFrequency = averagingFrequency;
  }

  @Override
  public RoundStats fitRound(JavaRDD<MultiDataSet> round) {
    ComputationGraph net = spark.getNetwork();
    counts.startRound(net.getConfiguration().getIterationCount(), net.getConfiguration().getEpochCount());
    fitNanos.reset();
    fits.reset();
    long t0 = System.nanoTime();
    spark.fitMultiDataSet(round);
    long wall = (System.nanoTime() - t0) / 1_000_000;
    long events = fits.value();
    long perWorker = events == 0 ? 0 : fitNanos.value() / 1_000_000 * averagingFrequency / events;
    return new RoundStats(spark.getScore(), Math.min(perWorker, wall), wall);
  }

  @Override
  public ComputationGraph network() {
    return spark.getNetwork();
  }
}
