package io.pretext.jobs.pretrain;

import io.pretext.data.augment.MultiViewSpec;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewRecipe;
import io.pretext.data.batches.ImageViewBatches;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.jobs.train.Checkpointer;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.ProgressLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.jobs.train.TrainingDriver;
import io.pretext.jobs.train.dl4j.ParameterAveragingTrainer;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.backend.NativeThreads;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Assembles and runs a pretraining job: dataset, method, encoder, minibatches, trainer, listeners. */
public final class PretrainJob {
  private PretrainJob() {}

  /** The outcome: where the final checkpoint is, how far training got, and how long it took. */
  public record Result(String run, String checkpoint, long roundsDone, long totalRounds, double finalLoss, double seconds,
      double imagesPerSecond, boolean resumed) {}

  public static Result run(SparkSession spark, PretrainConfig config, PrintWriter progress, List<RoundListener> extra) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    HadoopFiles.requireApart("--run", config.run(), "--data", config.data(), hadoop);
    HadoopFiles.requireApart("--run", config.run(), "--monitor-labeled", config.monitorLabeled(), hadoop);
    PreparedDataset dataset = PreparedDataset.open(config.data(), hadoop);
    DatasetManifest manifest = dataset.manifest();
    if (manifest.image() == null) {
      throw new DatasetException("dataset " + config.data() + " has images of different sizes; re-run prepare-images with --resize N");
    }
    InputShape input = new InputShape(manifest.image().channels(), manifest.image().height(), manifest.image().width());
    RunDirectory runDir = new RunDirectory(config.run(), hadoop);
    Optional<Checkpoint> resumeFrom = config.resume() ? runDir.latest() : Optional.empty();
    if (!config.resume() && runDir.hasContent()) {
      throw new DatasetException("--run " + config.run() + " already holds a run; pass --resume to continue it, or choose another --run");
    }
    String manifestSha = dataset.manifestSha256(hadoop);
    resumeFrom.ifPresent(c -> checkCompatible(c.info(), config, manifestSha));

    RoundLayout layout = new RoundLayout(config.workers(), config.batchSizePerWorker(), config.averagingFrequency());
    long records = manifest.totalRecords();
    int roundsPerEpoch = layout.roundsPerEpoch(records);
    if (roundsPerEpoch < 1) {
      throw new DatasetException("dataset " + config.data() + " has " + records + " images, fewer than one round needs ("
          + layout.recordsPerRound() + " = --workers x --batch-size-per-worker x --averaging-frequency)");
    }
    long totalRounds = (long) config.epochs() * roundsPerEpoch;
    int totalIterations = Math.toIntExact(totalRounds * config.averagingFrequency());
    int warmup = (int) Math.round(config.warmupEpochs() * roundsPerEpoch * config.averagingFrequency());

    SslMethod method = method(config);
    EncoderSpec encoder = Encoders.byName(config.encoder());
    OptimizerConfig optimizer = new OptimizerConfig(config.optimizer().equals("adam") ? OptimizerConfig.Algorithm.ADAM
        : OptimizerConfig.Algorithm.ADAMW, config.lr(), config.weightDecay(), Math.min(warmup, totalIterations - 1), totalIterations);
    ComputationGraph network = resumeFrom.map(c -> c.loadModel(hadoop))
        .orElseGet(() -> method.build(encoder, input, GraphSettings.of(config.seed(), optimizer)));

    ViewRecipe recipe = recipe(config, input);
    ViewGenerator generator = new ViewGenerator(recipe, MultiViewSpec.simclr(), config.seed());
    JavaRDD<Row> rows = dataset.records(spark).javaRDD().persist(StorageLevel.MEMORY_AND_DISK_SER());
    ImageViewBatches batches = new ImageViewBatches(rows, records, generator, method, layout, config.seed());

    RunInfo base = new RunInfo(RunInfo.FORMAT_VERSION, method.name(), encoder.name(), method.representationVertex(),
        encoder.representationDim(), input.channels(), input.height(), input.width(), config.asMap(), config.data(), manifestSha,
        Provenance.versions(), Provenance.gitCommit(), config.seed(), 0, 0, 0, totalRounds, 0, Double.NaN, false);
    long done = resumeFrom.map(c -> c.info().roundsDone()).orElse(0L);
    MetricsLog metrics = new MetricsLog(runDir, done);
    List<RoundListener> listeners = new ArrayList<>();
    listeners.add(new ProgressLog(progress, config.epochs(), roundsPerEpoch));
    listeners.add(metrics);
    if (config.monitorLabeled() != null) {
      listeners.add(new KnnMonitor(spark, config.monitorLabeled(), method.representationVertex(), encoder.representationDim(), metrics,
          progress));
    }
    listeners.addAll(extra);
    listeners.add(new Checkpointer(runDir, base, config.checkpointEvery(), config.keepCheckpoints(), roundsPerEpoch));

    configureLocalThreads(spark, config.workers(), progress);
    ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        network, config.workers(), method.viewsPerRecord() * config.batchSizePerWorker(), config.averagingFrequency(),
        config.seed());
    TrainingDriver driver = new TrainingDriver(trainer, batches, config.epochs(), listeners);
    progress.printf("pretrain: %s/%s on %d images %s, %d workers x %d images x %d minibatches per round, %d rounds per epoch, %d epochs%s%n",
        method.name(), encoder.name(), records, input, config.workers(), config.batchSizePerWorker(), config.averagingFrequency(),
        roundsPerEpoch, config.epochs(), resumeFrom.map(c -> ", resuming after round " + c.info().roundsDone()).orElse(""));
    long roundsDone;
    try {
      roundsDone = driver.run((int) (done / roundsPerEpoch), (int) (done % roundsPerEpoch));
    } finally {
      rows.unpersist(false);
    }
    Checkpoint last = runDir.latest().orElseThrow();
    double seconds = (System.nanoTime() - start) / 1e9;
    long trainedImages = (roundsDone - done) * layout.recordsPerRound();
    return new Result(runDir.root().toString(), last.dir().toString(), roundsDone, totalRounds, last.info().loss(), seconds,
        trainedImages / seconds, resumeFrom.isPresent());
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

  static SslMethod method(PretrainConfig config) {
    return new SimClr(new SimClrConfig(config.temperature(), new ProjectionHead(config.projectionHidden(), config.projectionDim(), false)));
  }

  static ViewRecipe recipe(PretrainConfig config, InputShape input) {
    return ViewRecipes.simclr(config.cropScaleMin(), config.jitter(), config.jitterProb(), config.blurProb(), input);
  }

  /** A resumed run must train the same thing on the same data, or it is a different run. */
  private static void checkCompatible(RunInfo info, PretrainConfig config, String manifestSha) {
    if (!info.datasetManifestSha256().equals(manifestSha)) {
      throw new DatasetException("cannot resume: the checkpoint was trained on a dataset with manifest " + info.datasetManifestSha256()
          + ", but --data " + config.data() + " has " + manifestSha);
    }
    for (String key : List.of("method", "encoder", "workers", "batchSizePerWorker", "averagingFrequency", "epochs", "seed")) {
      Object before = info.config().get(key);
      Object now = config.asMap().get(key);
      if (before != null && !String.valueOf(before).equals(String.valueOf(now))) {
        throw new DatasetException("cannot resume: --" + key.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)
            + " was " + before + " in the checkpoint, now " + now + "; resume with the same settings");
      }
    }
  }
}
