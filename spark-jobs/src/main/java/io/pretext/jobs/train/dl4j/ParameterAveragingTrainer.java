package io.pretext.jobs.train.dl4j;

import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.method.UpdateHook;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.util.ExportSupport;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       disk first, which is wasted work when views are regenerated every epoch, and refuses a local default file
 *       system outside local mode. {@code --conf spark.pretext.train.approach=export} chooses it anyway (with
 *       {@code spark.pretext.train.exportDirectory}, default {@code hadoop.tmp.dir/dl4j} on the default file
 *       system, qualified: see {@link #exportDirectory}): each round's minibatches are written there, read back by
 *       the workers, and deleted after the round;
 *   <li>no storage level: the master persists its input but never unpersists it; the caller
 *       persists each round and releases it afterwards;
 *   <li>{@code saveUpdater(true)}: Adam's moments are averaged and carried across rounds;
 *   <li>the master advances the driver's iteration count by {@code averagingFrequency} per round,
 *       but its workers restart from 0 every round (a DL4J defect, see {@link IterationCountHook});
 *       that hook hands them the driver's count, which the learning-rate schedule and Adam's bias
 *       correction read;
 *   <li>{@link NativeThreadsHook} gives every worker thread the JVM's native thread count (OpenMP's is per thread);
 *   <li>no DL4J training statistics (they keep every event of the run in the driver):
 *       {@link FitTimeHook} times the workers' fits through a per-partition accumulator ({@link FitTimes}), which
 *       counts a retried task once;
 *   <li>each round's broadcast of parameters and updater state is destroyed when the round ends
 *       ({@link RoundBroadcastMaster}); DL4J's master never releases it;
 *   <li>the method's {@link UpdateHook} runs on the worker after every optimiser step
 *       ({@link MethodUpdateHook}), after the iteration count is set and advanced.
 * </ul>
 */
public final class ParameterAveragingTrainer implements DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);
  /** Spark setting choosing DL4J's training approach: {@code direct} (default) or {@code export}. */
  public static final String APPROACH = "spark.pretext.train.approach";
  /** Spark setting: where {@code export} writes each round's minibatches. */
  public static final String EXPORT_DIRECTORY = "spark.pretext.train.exportDirectory";

  private final JavaSparkContext sc;
  private final SparkComputationGraph spark;
  private final RoundBroadcastMaster master;
  private final int averagingFrequency;
  private final int workers;
  private final boolean export;
  private final IterationCountHook counts = new IterationCountHook();
  private final FitTimes times = new FitTimes();

  /**
   * @param rowsPerBatch rows of the first feature array of every minibatch (records x the method's examples per record)
   * @param hook the method's work after each optimiser step on a worker ({@link UpdateHook#NONE} for none)
   */
  public ParameterAveragingTrainer(JavaSparkContext sc, ComputationGraph network, int workers, int rowsPerBatch,
      int averagingFrequency, long seed, UpdateHook hook) {
    String approach = sc.getConf().get(APPROACH, "direct").toLowerCase(java.util.Locale.ROOT);
    OptionCheck.require(approach.equals("direct") || approach.equals("export"), "--conf " + APPROACH, approach, "direct or export");
    this.export = approach.equals("export");
    if (export && !ExportSupport.exportSupported(sc)) {
      throw new IllegalArgumentException("--conf " + APPROACH + "=export needs a shared default file system outside local mode (DL4J "
          + "writes each round's minibatches there for the executors): set --conf spark.hadoop.fs.defaultFS=hdfs://..., or train with "
          + APPROACH + "=direct");
    }
    ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(workers, rowsPerBatch)
        .workerPrefetchNumBatches(0)
        .batchSizePerWorker(rowsPerBatch)
        .averagingFrequency(averagingFrequency)
        .aggregationDepth(2)
        .repartionData(Repartition.Never)
        .rddTrainingApproach(export ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct)
        .storageLevel(null)
        .saveUpdater(true)
        .rngSeed(seed)
        .collectTrainingStats(false);
    if (export) {
      builder.exportDirectory(exportDirectory(sc));
    }
    master = new RoundBroadcastMaster(builder);
    sc.sc().register(times, "pretext.fitTimes");
    master.addHook(new NativeThreadsHook());
    master.addHook(counts);
    master.addHook(new FitTimeHook(times));
    if (hook != UpdateHook.NONE) {
      master.addHook(new MethodUpdateHook(hook));
    }
    this.sc = sc;
    this.spark = new SparkComputationGraph(sc, network, master);
    this.averagingFrequency = averagingFrequency;
    this.workers = workers;
  }

  /**
   * The export directory as a fully qualified URI. DL4J's export function writes with a Hadoop configuration of its
   * own ({@code DefaultHadoopConfig}, without the job's {@code spark.hadoop.*} settings), so a path without a scheme,
   * such as its default {@code hadoop.tmp.dir/dl4j}, lands on each executor's local disk while the workers look for
   * it on the default file system.
   */
  static String exportDirectory(JavaSparkContext sc) {
    org.apache.hadoop.conf.Configuration conf = sc.hadoopConfiguration();
    String dir = sc.getConf().get(EXPORT_DIRECTORY, conf.get("hadoop.tmp.dir") + "/dl4j");
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--conf " + EXPORT_DIRECTORY + " " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public RoundStats fitRound(JavaRDD<MultiDataSet> round) {
    ComputationGraph net = spark.getNetwork();
    counts.startRound(net.getConfiguration().getIterationCount(), net.getConfiguration().getEpochCount());
    times.reset();
    long t0 = System.nanoTime();
    try {
      spark.fitMultiDataSet(round);
    } finally {
      master.releaseRound();
      if (export) {
        master.deleteTempFiles(sc);
      }
    }
    long wall = (System.nanoTime() - t0) / 1_000_000;
    long events = times.fits();
    if (events != (long) workers * averagingFrequency) {
      LOG.warn("round counted {} minibatch fits, expected {} ({} workers x {}): the fit-time split of this round is approximate",
          events, (long) workers * averagingFrequency, workers, averagingFrequency);
    }
    long perWorker = events == 0 ? 0 : times.nanos() / 1_000_000 * averagingFrequency / events;
    // DL4J's score is the loss plus the regularisation term (0.5 wd |w|^2 summed over weights, also for AdamW's
    // decoupled decay). That term grows with the weights and, for a Transformer with a large vocabulary table, is
    // several nats: the reported loss is the objective alone, so it is taken out (computed on the averaged parameters).
    ComputationGraph averaged = spark.getNetwork();
    return new RoundStats(spark.getScore() - averaged.calcRegularizationScore(true), Math.min(perWorker, wall), wall);
  }

  @Override
  public ComputationGraph network() {
    return spark.getNetwork();
  }
}
