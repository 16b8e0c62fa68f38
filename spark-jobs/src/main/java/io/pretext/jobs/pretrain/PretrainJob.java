package io.pretext.jobs.pretrain;

import io.pretext.data.batches.BatchContext;
import io.pretext.data.batches.BatchFactories;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.jobs.lifecycle.SparkMethodContext;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.InputInfo;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.jobs.run.RunLock;
import io.pretext.jobs.train.Checkpointer;
import io.pretext.jobs.train.MethodContexts;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.ProgressLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.jobs.train.TrainingDriver;
import io.pretext.jobs.train.worker.AllReduceAveraging;
import io.pretext.jobs.train.worker.ParameterAveraging;
import io.pretext.jobs.train.DistributedTrainer;
import io.pretext.model.DatasetKind;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.backend.NativeThreads;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.SslMethod;
import io.pretext.model.optim.OptimizerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Assembles and runs a pretraining job from its configuration, knowing no method or modality by name: the dataset
 * (checked against the method's kind before any Spark work), the network (built by the method, or restored with the
 * method's state from a checkpoint), the minibatches (from the batch factory that serves the method), the trainer,
 * and the listeners (progress, metrics, monitor, checkpoints). The run directory is locked for the duration.
 */
public final class PretrainJob {
  private PretrainJob() {}

  /**
   * The outcome: where the final checkpoint is, how far training got, and how long it took.
   *
   * @param unitsPerSecond images (or tokens, for text) trained per second of this process's training
   * @param unit {@code images} or {@code tokens}
   */
  public record Result(String run, String checkpoint, long roundsDone, long totalRounds, double finalLoss, double seconds,
      double unitsPerSecond, String unit, boolean resumed, long roundsRepeated) {}

  /**
   * What a job that trains through pretraining's loop adds to it (fine-tuning): how a new run's network starts, and
   * listeners that need the run's metrics log.
   *
   * @param warmStart applied to a new run's freshly built network before the first round (not on resume): e.g. copies
   *     a pretrained encoder's weights into it
   * @param listeners listeners made once the run's metrics log is open, called after the others and before the
   *     checkpointer
   * @param dataInsideRun whether {@code --data} lies inside {@code --run} on purpose (a split the job wrote there)
   */
  public record Extension(UnaryOperator<ComputationGraph> warmStart, Function<MetricsLog, List<RoundListener>> listeners,
      boolean dataInsideRun) {
    /** Nothing added: pretraining. */
    public static final Extension NONE = new Extension(UnaryOperator.identity(), metrics -> List.of(), false);
  }

  public static Result run(SparkSession spark, PretrainConfig config, PrintWriter progress, List<RoundListener> extra) {
    return run(spark, config, progress, extra, Extension.NONE);
  }

  public static Result run(SparkSession spark, PretrainConfig config, PrintWriter progress, List<RoundListener> extra, Extension extension) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunConfig rc = config.run();
    TrainingConfig tc = config.training();
    SslMethod method = config.method();
    if (!extension.dataInsideRun()) {
      HadoopFiles.requireApart("--run", rc.run(), "--data", rc.data(), hadoop);
    }
    HadoopFiles.requireApart("--run", rc.run(), "--monitor", rc.monitor(), hadoop);
    PreparedDataset dataset = PreparedDataset.open(rc.data(), hadoop).requireKind(method.dataKind(), "method " + method.name());
    EncoderSpec encoder = tc.encoderSpec();
    if (encoder.kind() != method.dataKind()) {
      throw new IllegalArgumentException("invalid value for --encoder: '" + encoder.name() + "' reads " + encoder.kind()
          + " data, but method " + method.name() + " trains on " + method.dataKind());
    }
    ModelInput input = inputOf(dataset);
    RunPlan plan = planOf(config, dataset);
    // the method's checks, before anything is written
    method.check(plan);
    if (method.needsRecordKeys()) {
      requireRecordKeys(spark, dataset, rc.data(), method);
    }
    RunDirectory runDir = new RunDirectory(rc.run(), hadoop);
    try (RunLock lock = runDir.lock(line -> {
      progress.println("pretrain: " + line);
      progress.flush();
    })) {
      return train(spark, config, dataset, encoder, input, plan, runDir, progress, extra, extension, start);
    }
  }

  /**
   * The run's plan: its layout over the dataset's records.
   *
   * @throws DatasetException if the dataset holds fewer records than one round needs
   */
  static RunPlan planOf(PretrainConfig config, PreparedDataset dataset) {
    TrainingConfig tc = config.training();
    RoundLayout layout = tc.layout();
    long records = dataset.manifest().totalRecords();
    int roundsPerEpoch = layout.roundsPerEpoch(records);
    if (roundsPerEpoch < 1) {
      throw new DatasetException("dataset " + config.run().data() + " has " + records + " records, fewer than one round needs ("
          + layout.recordsPerRound() + " = --workers x --batch-size-per-worker x --averaging-frequency)");
    }
    return new RunPlan(tc.seed(), records, tc.epochs(), tc.workers(), tc.batchSizePerWorker(), tc.averagingFrequency(), roundsPerEpoch);
  }

  /**
   * Checks that every record has an id and no two share one, for a method that joins its state to the records by id.
   *
   * @throws DatasetException naming the dataset, what is wrong and the fix
   */
  static void requireRecordKeys(SparkSession spark, PreparedDataset dataset, String uri, SslMethod method) {
    String id = dataset.kind() == DatasetKind.TEXT ? TextRecords.ID : ImageRecords.ID;
    Row counts = dataset.records(spark).agg(functions.count(functions.lit(1)),
        functions.count(functions.col(id)),
        functions.countDistinct(functions.col(id))).first();
    long records = counts.getLong(0);
    long withId = counts.getLong(1);
    long distinct = counts.getLong(2);
    if (withId < records || distinct < withId) {
      throw new DatasetException("--data " + uri + " has " + (records - withId) + " records without an '" + id + "' key and "
          + (withId - distinct) + " repeated keys, but method " + method.name() + " joins its state to the records by key; prepare"
          + " the dataset with prepare-" + (dataset.kind() == DatasetKind.TEXT ? "text" : "images") + ", which keys every record by its"
          + " content");
    }
  }

  private static Result train(SparkSession spark, PretrainConfig config, PreparedDataset dataset, EncoderSpec encoder, ModelInput input,
      RunPlan plan, RunDirectory runDir, PrintWriter progress, List<RoundListener> extra, Extension extension, long start) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunConfig rc = config.run();
    TrainingConfig tc = config.training();
    SslMethod method = config.method();
    Optional<Checkpoint> resumeFrom = resumePoint(rc, runDir);
    String manifestSha = dataset.manifestSha256(hadoop);
    resumeFrom.ifPresent(c -> ResumeCheck.verify(c.info(), config, manifestSha));

    RoundLayout layout = tc.layout();
    long records = plan.records();
    int roundsPerEpoch = plan.roundsPerEpoch();
    long totalRounds = (long) tc.epochs() * roundsPerEpoch;
    OptimizerConfig optimizer = tc.optimizer(roundsPerEpoch);
    MethodState state = method.newState(plan);
    resumeFrom.ifPresent(c -> state.restore(c.loadState(hadoop)));
    ComputationGraph network = resumeFrom.map(c -> c.loadModel(hadoop))
        .orElseGet(() -> extension.warmStart().apply(method.build(encoder, input, GraphSettings.of(tc.seed(), optimizer))));

    RunInfo base = new RunInfo(RunInfo.FORMAT_VERSION, method.name(), encoder.name(), method.representationVertex(),
        encoder.representationDim(), inputInfo(dataset, input), config.options(), rc.data(), manifestSha, Provenance.versions(),
        Provenance.gitCommit(), tc.seed(), 0, 0, 0, totalRounds, 0, Double.NaN, false);
    long done = resumeFrom.map(c -> c.info().roundsDone()).orElse(0L);
    PreparedDataset monitor = rc.monitor() == null ? null : PreparedDataset.open(rc.monitor(), hadoop);

    TrainingBatches batches = BatchFactories.forMethod(method).create(new BatchContext(spark, dataset, method, config.recipe(), layout,
        tc.seed(), state));
    MetricsLog metrics = null;
    long roundsDone;
    long trained;
    long repeated;
    try {
      metrics = new MetricsLog(runDir, done, batches.unit(), progress);
      List<RoundListener> listeners = new ArrayList<>();
      listeners.add(new ProgressLog(progress, tc.epochs(), roundsPerEpoch, batches.unit()));
      listeners.add(metrics);
      if (rc.monitor() != null) {
        listeners.add(Monitors.create(spark, config, dataset, encoder, metrics, progress));
      }
      listeners.addAll(extra);
      listeners.addAll(extension.listeners().apply(metrics));
      configureLocalThreads(spark, tc.workers(), progress);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      DistributedTrainer trainer = switch (rc.sync()) {
        case DRIVER -> new ParameterAveraging(jsc, network, method, plan);
        case ALLREDUCE, ALLREDUCE_GRADIENTS -> new AllReduceAveraging(jsc, network, method, plan, runDir, rc.checkpointEvery(),
            rc.sync() == SyncMode.ALLREDUCE_GRADIENTS, progress);
      };
      listeners.add(new Checkpointer(runDir, base, state, filesOf(dataset, hadoop), rc.checkpointEvery(), rc.keepCheckpoints(),
          roundsPerEpoch, trainer::stagedModel));
      MetricsLog log = metrics;
      MethodContexts contexts = (epoch, roundsSoFar) -> new SparkMethodContext(spark, dataset, monitor, runDir, trainer.network(), plan,
          log, progress, epoch, roundsSoFar);
      TrainingDriver driver = new TrainingDriver(trainer, batches, tc.epochs(), state, contexts, listeners);
      progress.printf("pretrain: %s/%s on %d records (%s), %d workers x %d records x %d minibatches per round, %d rounds per epoch,"
              + " %d epochs, averaging %s%s%n", method.name(), encoder.name(), records, InputInfo.of(input), tc.workers(),
          tc.batchSizePerWorker(), tc.averagingFrequency(), roundsPerEpoch, tc.epochs(),
          switch (rc.sync()) {
            case DRIVER -> "through the driver";
            case ALLREDUCE -> "by all-reduce among the workers";
            case ALLREDUCE_GRADIENTS -> "by all-reduce among the workers, every step's gradients too";
          },
          resumeFrom.map(c -> ", resuming after round " + c.info().roundsDone()).orElse(""));
      try {
        roundsDone = driver.run((int) (done / roundsPerEpoch), (int) (done % roundsPerEpoch));
      } finally {
        trainer.close();
      }
      repeated = trainer.roundsRepeated();
      trained = driver.unitsTrained();
    } finally {
      batches.close();
      if (metrics != null) {
        metrics.close();
      }
    }
    Checkpoint last = runDir.latest().orElseThrow();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(runDir.root().toString(), last.dir().toString(), roundsDone, totalRounds, last.info().loss(), seconds,
        trained / seconds, batches.unit(), resumeFrom.isPresent(), repeated);
  }

  /** The checkpoint to continue from, by {@code --resume}. */
  private static Optional<Checkpoint> resumePoint(RunConfig rc, RunDirectory runDir) {
    Optional<Checkpoint> latest = runDir.latest();
    return switch (rc.resume()) {
      case NEVER -> {
        if (runDir.hasContent()) {
          throw new RunException("--run " + rc.run() + " already holds a run; pass --resume to continue it (--resume auto also"
              + " starts it when it holds no checkpoint), or choose another --run");
        }
        yield Optional.empty();
      }
      case ALWAYS -> {
        if (latest.isEmpty()) {
          throw new RunException("--resume: --run " + rc.run() + " holds no complete checkpoint to resume from; start it without"
              + " --resume, or use --resume auto");
        }
        yield latest;
      }
      case AUTO -> latest;
    };
  }

  /** What one record looks like to the network, from the manifest. */
  public static ModelInput inputOf(PreparedDataset dataset) {
    DatasetManifest manifest = dataset.manifest();
    return switch (dataset.kind()) {
      case IMAGE -> {
        DatasetManifest.ImageGeometry g = manifest.image();
        if (g == null) {
          throw new DatasetException("dataset " + dataset.root() + " has images of different sizes; re-run prepare-images with --resize N");
        }
        yield new InputShape(g.channels(), g.height(), g.width());
      }
      case TEXT -> new TokenInput(dataset.text().vocabSize(), dataset.text().seqLen());
    };
  }

  /** The input as run.json records it; for text with the dataset's case setting and Unicode form, which fill-mask needs. */
  static InputInfo inputInfo(PreparedDataset dataset, ModelInput input) {
    return input instanceof TokenInput t ? InputInfo.text(t, dataset.text().lowercase(), dataset.text().normalization()) : InputInfo.of(input);
  }

  /** Files every checkpoint carries besides the model, so that it is usable alone: a text run's vocabulary. */
  static Map<String, byte[]> filesOf(PreparedDataset dataset, Configuration hadoop) {
    if (dataset.kind() != DatasetKind.TEXT) {
      return Map.of();
    }
    return Map.of(Checkpoint.VOCAB_FILE, dataset.vocabulary(hadoop).toBytes());
  }

  /**
   * In local mode every worker trains inside this JVM, sharing one native thread pool: give each
   * worker its share of the cores, or workers x threads oversubscribes them. (Executors in their
   * own JVMs get {@code OMP_NUM_THREADS} from the Spark configuration instead; see deploy/.)
   */
  static void configureLocalThreads(SparkSession spark, int workers, PrintWriter progress) {
    if (!spark.sparkContext().isLocal()) {
      return;
    }
    int cores = Math.max(1, spark.sparkContext().defaultParallelism());
    int threads = Math.max(1, cores / workers);
    NativeThreads.set(threads);
    progress.printf("pretrain: local mode, %d cores, %d workers: %d native thread(s) per worker%n", cores, workers, threads);
  }
}
