package io.pretext.jobs.train.worker;

import io.pretext.jobs.run.ModelFiles;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.SslMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Parameter averaging without the driver ({@code --sync allreduce}): the same algorithm as {@link ParameterAveraging}
 * (every worker fits its round's minibatches from the same parameters, then parameters and optimiser state are
 * averaged), but the workers average among themselves by a ring all-reduce ({@link Collective}, XGBoost4J's collective)
 * inside one Spark barrier stage per segment, and keep their networks between rounds. A segment is the rounds up to
 * the next checkpoint or the end of the epoch, whichever comes first.
 *
 * <p>Per segment, the driver: lays the segment's minibatches out by worker (one shuffle, keyed (worker, round, index),
 * sorted; the map stage that makes the views is timed apart), broadcasts a {@link SegmentStart} (parameters only when
 * its own copy changed since the workers last saw it), runs the barrier stage, and reads each round's figures from the
 * {@link RoundChannel} as they come, reporting them in order. What passes through the driver per round is those figures
 * and Spark's barrier synchronisation; per segment, the method state the workers replicate (MoCo's queue, the GAN's
 * generator) out and back. The first worker writes the model after the segment to {@link RunDirectory#stagingDir};
 * the checkpoint takes it over ({@link #stagedModel}), and at the end of an epoch the driver loads it, so that the
 * method's epoch hooks, the monitors and the final model see the trained network.
 *
 * <p>Faults: a barrier stage fails as a whole when a task dies, and Spark retries it (up to
 * {@code spark.stage.maxConsecutiveAttempts}). Every task of the retry starts the segment again from its start (a
 * worker whose network is not labelled with that version loads the model the driver named, or takes the broadcast
 * parameters), so the run continues without the user; {@link #roundsRepeated} counts the rounds trained twice.
 */
public final class AllReduceAveraging implements DistributedTrainer {
  /** Spark setting: seconds an all-reduce or the ring's forming may take before the worker gives up. */
  public static final String TIMEOUT = "spark.pretext.allreduce.timeoutSeconds";
  /** Spark setting: seconds to wait for executors to offer a task slot per worker before refusing. */
  public static final String SLOT_WAIT = "spark.pretext.allreduce.slotWaitSeconds";

  private final JavaSparkContext sc;
  private final ComputationGraph network;
  private final SslMethod method;
  private final RunPlan plan;
  private final RunDirectory run;
  private final int checkpointEvery;
  private final boolean gradients;
  private final int timeoutSeconds;
  private final Broadcast<String> configuration;
  private final Broadcast<SerializableConfiguration> hadoop;
  private final RoundChannel channel;
  private final PrintWriter progress;
  private final String token = UUID.randomUUID().toString();
  /** Rounds after which the workers' networks hold the latest parameters (-1: they hold nothing of this run yet). */
  private long workersAt = -1;
  /** Fingerprint of the driver's network when it was last current; null when it is behind the workers. */
  private Integer driverFingerprint;
  private long stagedAt = -1;
  private long repeated;

  /**
   * @param network the driver's network: the run's start, loaded with the workers' model at every epoch's end
   * @param run where the first worker writes the model after each segment
   * @param checkpointEvery the run's checkpoint interval in rounds: segments end there
   * @param gradients whether every step's gradients are averaged too (synchronous data-parallel SGD)
   * @throws IllegalArgumentException naming the setting and the fix if the cluster cannot run a barrier stage of
   *     {@code plan.workers()} tasks
   */
  public AllReduceAveraging(JavaSparkContext sc, ComputationGraph network, SslMethod method, RunPlan plan, RunDirectory run,
      int checkpointEvery, boolean gradients, PrintWriter progress) {
    if (network.params().dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("distributed training needs a FLOAT network, not " + network.params().dataType());
    }
    requireSlots(sc, plan.workers());
    this.sc = sc;
    this.network = network;
    this.method = method;
    this.plan = plan;
    this.run = run;
    this.checkpointEvery = checkpointEvery;
    this.gradients = gradients;
    this.timeoutSeconds = (int) sc.getConf().getLong(TIMEOUT, 300);
    this.progress = progress;
    this.configuration = sc.broadcast(network.getConfiguration().toJson());
    this.hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
    this.channel = new RoundChannel(sc.getConf().get("spark.driver.host", "localhost"));
  }

  /**
   * Refuses, before any training, what barrier mode cannot do: dynamic allocation, or fewer task slots than workers
   * (Spark's own error is a cryptic scheduling failure after a wait).
   */
  static void requireSlots(JavaSparkContext sc, int workers) {
    SparkConf conf = sc.getConf();
    boolean local = sc.sc().isLocal();
    long deadline = System.nanoTime() + conf.getLong(SLOT_WAIT, 60) * 1_000_000_000L;
    int slots = slots(sc);
    while (!local && slots < workers && System.nanoTime() < deadline // executors may still be registering
        && !conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = slots(sc);
    }
    refusal(conf, local, slots, workers).ifPresent(message -> {
      throw new IllegalArgumentException(message);
    });
  }

  /** Why a barrier stage of {@code workers} tasks cannot run with these settings and {@code slots} task slots, if so. */
  static Optional<String> refusal(SparkConf conf, boolean local, int slots, int workers) {
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return Optional.of("--sync allreduce runs every worker at once in a Spark barrier stage, which Spark refuses with dynamic"
          + " allocation: set --conf spark.dynamicAllocation.enabled=false, or use --sync driver");
    }
    int taskCpus = conf.getInt("spark.task.cpus", 1);
    if (slots >= workers) {
      return Optional.empty();
    }
    String fix = local
        ? "run with --master local[N] for N >= " + workers + ", or lower --workers"
        : "give the application at least " + workers * taskCpus + " cores (--total-executor-cores, spark.cores.max, or more"
            + " executors), or lower --workers";
    return Optional.of("--sync allreduce runs all " + workers + " workers at once in a barrier stage, but the application has "
        + slots + " task slots now (spark.task.cpus=" + taskCpus + "): " + fix);
  }

  /** Tasks the application's executors can run at once: what Spark's own barrier check counts. */
  private static int slots(JavaSparkContext sc) {
    return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
  }

  @Override
  public int roundsPerCall(long roundsDone, int roundsLeft) {
    return (int) Math.min(roundsLeft, checkpointEvery - roundsDone % checkpointEvery);
  }

  @Override
  public void fitRounds(long roundsDone, List<JavaRDD<MultiDataSet>> rounds, MethodState state, RoundSink sink) {
    long t0 = System.nanoTime();
    int n = rounds.size();
    int workers = plan.workers();
    JavaPairRDD<Long, MultiDataSet> laidOut = layOut(rounds, workers);
    // make the views first, so that their cost is measured apart (the barrier stage then reads the map outputs)
    try {
      sc.sc().submitMapStage((ShuffleDependency<?, ?, ?>) laidOut.rdd().dependencies().head()).get();
    } catch (SparkException e) {
      throw new IllegalStateException("making the minibatches failed: " + e.getMessage(), e);
    }
    long viewMillis = (System.nanoTime() - t0) / 1_000_000;

    Serializable fromDriver = state.forWorkers();
    SegmentStart start = new SegmentStart(token, roundsDone, n, paramsIfChanged(roundsDone), modelDir(roundsDone),
        fromDriver == null ? null : state.save(), run.stagingDir(roundsDone + n).toString(), timeoutSeconds, channel.address(),
        channel.token(), gradients);
    Broadcast<SegmentStart> b = sc.broadcast(start);
    List<SegmentLoop.Outcome> outcomes;
    JavaFutureAction<List<SegmentLoop.Outcome>> future = null;
    boolean finished = false;
    try {
      JavaRDD<SegmentLoop.Outcome> stage = laidOut.rdd().barrier()
          .mapPartitions(new BarrierPartitions<>(new SegmentLoop(configuration, hadoop, b, method, plan)), false,
              ClassTag$.MODULE$.apply(SegmentLoop.Outcome.class))
          .toJavaRDD()
          // a shuffle after the barrier stage makes it a map stage, which Spark retries as a whole when a task fails;
          // a failed barrier result stage would abort the job instead
          .repartition(1);
      future = stage.collectAsync();
      Set<Integer> seen = new HashSet<>();
      int delivered = 0;
      while (true) {
        boolean done = future.isDone(); // figures sent before the stage ended are queued by then: drain them after it
        RoundChannel.Figures f = channel.poll(done ? 0 : 200);
        if (f == null) {
          if (done) {
            break;
          }
          continue;
        }
        if (f.segment() != roundsDone) {
          continue; // a straggler of an earlier segment's failed attempt
        }
        if (!seen.add(f.index())) {
          repeated++;
          progress.printf("pretrain: round %d of this segment trained again (the barrier stage was retried)%n", f.index() + 1);
          progress.flush();
          continue;
        }
        if (f.index() == delivered && f.index() < n - 1) { // the last round waits for the segment's end
          deliver(sink, f, viewMillis, n);
          delivered++;
        }
      }
      outcomes = future.get();
      SegmentLoop.Outcome first = outcomes.stream().filter(o -> o != null).findFirst()
          .orElseThrow(() -> new IllegalStateException("the barrier stage returned no result from its first worker"));
      if (first.methodState() != null) {
        state.restore(first.methodState());
      }
      workersAt = roundsDone + n;
      stagedAt = roundsDone + n;
      if (plan.roundsPerEpoch() > 0 && (roundsDone + n) % plan.roundsPerEpoch() == 0) {
        loadStaged();
      } else {
        driverFingerprint = null; // behind the workers until the epoch's end (the last round's report sets its iteration count)
      }
      // the segment's own costs (scheduling the stage, forming the ring, writing and loading the model) count as the
      // last round's averaging time, so that the rounds' wall times add up to the segment's
      long reported = 0;
      for (RoundChannel.Figures f : first.figures()) {
        reported += f.wallMillis() + viewMillis / n;
      }
      long overhead = Math.max(0, (System.nanoTime() - t0) / 1_000_000 - reported);
      for (RoundChannel.Figures f : first.figures()) {
        if (f.index() >= delivered) {
          deliver(sink, f.index() == n - 1 ? new RoundChannel.Figures(f.segment(), f.index(), f.loss(), f.fitMillis(),
              f.wallMillis() + overhead, f.iteration()) : f, viewMillis, n);
          delivered++;
        }
      }
      finished = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException("the all-reduce barrier stage failed (after Spark's retries): " + cause.getMessage(), cause);
    } finally {
      if (!finished && future != null && !future.isDone()) {
        future.cancel(true); // a listener failed while the stage ran: stop it, or its tasks keep the slots
      }
      b.destroy(false);
    }
  }

  private void deliver(RoundSink sink, RoundChannel.Figures f, long viewMillis, int n) {
    network.getConfiguration().setIterationCount(f.iteration()); // the learning rate the report shows
    long view = viewMillis / n;
    long fit = Math.round(f.fitMillis());
    sink.onRound(f.index(), new RoundStats(f.loss(), view, Math.min(fit, f.wallMillis()), f.wallMillis() + view));
  }

  /** Lays the rounds out by worker: one partition per worker, its minibatches in (round, index) order. */
  private static JavaPairRDD<Long, MultiDataSet> layOut(List<JavaRDD<MultiDataSet>> rounds, int workers) {
    List<JavaPairRDD<Long, MultiDataSet>> keyed = new ArrayList<>();
    for (int r = 0; r < rounds.size(); r++) {
      int round = r;
      keyed.add(JavaPairRDD.fromJavaRDD(rounds.get(r).mapPartitionsWithIndex((w, it) -> {
        List<Tuple2<Long, MultiDataSet>> out = new ArrayList<>();
        int i = 0;
        while (it.hasNext()) {
          out.add(new Tuple2<>(SegmentLoop.key(w, round, i++), it.next()));
        }
        return out.iterator();
      }, true)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rounds.get(0).context());
    @SuppressWarnings("unchecked")
    JavaPairRDD<Long, MultiDataSet> all = keyed.size() == 1 ? keyed.get(0)
        : jsc.union(keyed.toArray(new JavaPairRDD[0]));
    return all.repartitionAndSortWithinPartitions(new ByWorker(workers));
  }

  /** The driver's parameters, when the workers do not hold them: the run's start, or a change by an epoch hook. */
  private RoundStart paramsIfChanged(long roundsDone) {
    boolean workersCurrent = workersAt == roundsDone;
    boolean driverChanged = driverFingerprint != null && driverFingerprint != fingerprint(network);
    if (workersCurrent && !driverChanged) {
      return null;
    }
    workersAt = -1; // until this segment succeeds
    return RoundStart.of(network, null);
  }

  /** The model on storage after {@code roundsDone} rounds: the staged one, or the checkpoint it became. */
  private String modelDir(long roundsDone) {
    Path staged = run.stagingDir(roundsDone);
    try {
      FileSystem fs = staged.getFileSystem(sc.hadoopConfiguration());
      if (fs.exists(new Path(staged, ModelFiles.MODEL_FILE))) {
        return staged.toString();
      }
      Path checkpoint = run.checkpointDir(roundsDone);
      return fs.exists(new Path(checkpoint, ModelFiles.MODEL_FILE)) ? checkpoint.toString() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the model the first worker wrote into the driver's network. */
  private void loadStaged() {
    Path dir = run.stagingDir(stagedAt);
    try {
      WorkerLoop.set(network, RoundStart.of(ModelFiles.read(dir.getFileSystem(sc.hadoopConfiguration()), dir), null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the workers' model " + dir + ": " + e.getMessage(), e);
    }
    driverFingerprint = fingerprint(network);
  }

  private static int fingerprint(ComputationGraph net) {
    INDArray state = WorkerLoop.updaterState(net);
    return 31 * Arrays.hashCode(WorkerLoop.floats(net.params())) + (state == null ? 0 : Arrays.hashCode(WorkerLoop.floats(state)));
  }

  @Override
  public Optional<Path> stagedModel(long roundsDone) {
    if (roundsDone != stagedAt) {
      return Optional.empty();
    }
    Path dir = run.stagingDir(roundsDone);
    try {
      return dir.getFileSystem(sc.hadoopConfiguration()).exists(new Path(dir, ModelFiles.MODEL_FILE)) ? Optional.of(dir) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long roundsRepeated() {
    return repeated;
  }

  @Override
  public ComputationGraph network() {
    return network;
  }

  /** Releases the run's broadcasts and the report channel. */
  public void close() {
    channel.close();
    configuration.destroy(false);
    hadoop.destroy(false);
  }

  /** Partitions keys of {@link SegmentLoop#key} by worker. */
  static final class ByWorker extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int workers;

    ByWorker(int workers) {
      this.workers = workers;
    }

    @Override
    public int numPartitions() {
      return workers;
    }

    @Override
    public int getPartition(Object key) {
      return SegmentLoop.workerOf((Long) key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByWorker w && w.workers == workers;
    }

    @Override
    public int hashCode() {
      return workers;
    }
  }

  /** A Java partition function as the Scala function {@code RDDBarrier.mapPartitions} takes. */
  static final class BarrierPartitions<T, U> extends scala.runtime.AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<U>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final org.apache.spark.api.java.function.FlatMapFunction<Iterator<T>, U> f;

    BarrierPartitions(org.apache.spark.api.java.function.FlatMapFunction<Iterator<T>, U> f) {
      this.f = f;
    }

    @Override
    public scala.collection.Iterator<U> apply(scala.collection.Iterator<T> in) {
      try {
        return scala.collection.JavaConverters.asScalaIterator(f.call(scala.collection.JavaConverters.asJavaIterator(in)));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
