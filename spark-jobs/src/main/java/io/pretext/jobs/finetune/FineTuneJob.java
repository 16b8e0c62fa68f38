package io.pretext.jobs.finetune;

import static io.pretext.model.config.OptionCheck.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.jobs.eval.EncoderSource;
import io.pretext.jobs.eval.LabeledData;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.PretrainJob;
import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.ModelFiles;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.DatasetKind;
import io.pretext.model.ModelInput;
import io.pretext.model.method.Classifier;
import io.pretext.model.method.finetune.PretrainedEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * {@code pretext finetune}: a pretrained encoder (images, or a masked-LM run's text encoder), a fresh classifier, and
 * supervised training on a labelled subset, on
 * pretraining's distributed loop ({@link PretrainJob} with an {@link PretrainJob.Extension}: the pretrained weights as
 * the warm start, the validation and test accuracy after every epoch).
 *
 * <p>The run directory holds, besides what every run holds, {@code splits/train} and {@code splits/validation}: the
 * stratified, seeded subsets of {@code --train} ({@link LabelSplit}), written once and reused on {@code --resume}
 * (the resume check compares the training split's manifest with the checkpoint's). run.json's {@code finetune} group
 * names the pretrained checkpoint with its model's SHA-256, the label and validation fractions and the labelled
 * dataset's manifest SHA-256.
 */
public final class FineTuneJob {
  /** run.json's group of the fine-tuning's own settings. */
  public static final String GROUP = "finetune";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FineTuneJob() {}

  /**
   * Where the job reads and writes, and the subset it trains on.
   *
   * @param model the pretrained run or checkpoint; null with {@code fromScratch} and an explicit encoder
   * @param train labelled training dataset (the subsets are drawn from it)
   * @param test labelled test dataset, only reported
   * @param run the fine-tuning's run directory
   * @param resume what to do with a run directory that holds a run
   * @param labelFraction fraction of each class's training records used, in (0, 1]
   * @param validationFraction fraction of each class held out for validation, in [0, 0.5]
   * @param fromScratch random initialisation instead of the pretrained weights (the same network)
   * @param seed the run's seed, which also draws the subsets
   * @param evaluateEvery score the validation and test sets every this many epochs (and after the last); 0 for
   *     {@link ClassifierMonitor#defaultEvery}
   */
  public record Settings(String model, String train, String test, String run, ResumeMode resume, double labelFraction,
      double validationFraction, boolean fromScratch, long seed, int evaluateEvery) {
    public Settings {
      require(labelFraction > 0 && labelFraction <= 1, "--label-fraction", labelFraction,
          "a number in (0, 1]: the fraction of each class's labelled records to train on");
      require(validationFraction >= 0 && validationFraction <= 0.5, "--validation-fraction",
          validationFraction, "a number in [0, 0.5]");
      require(model != null || fromScratch, "--model", model,
          "a pretrained run or checkpoint (or --from-scratch with --encoder)");
      require(train != null && !train.isBlank(), "--train", train, "a labelled prepared dataset");
      require(test != null && !test.isBlank(), "--test", test, "a labelled prepared dataset");
      require(run != null && !run.isBlank(), "--run", run, "a run directory URI");
      require(evaluateEvery >= 0, "--evaluate-every", evaluateEvery,
          "an integer >= 0 (epochs; 0 picks about 20 evaluations per run)");
    }
  }

  /** What the pretrained run is, as far as the fine-tuning's configuration needs it. */
  public record Pretrained(String uri, String encoder, String sha256) {}

  /** Builds the training job once the labelled subset is known. */
  @FunctionalInterface
  public interface ConfigMaker {
    /**
     * @param classes the labels' classes
     * @param trainRecords records in the training subset
     * @param trainData where the training subset is
     * @param pretrained the pretrained run, or null when there is none
     * @param group run.json's {@value #GROUP} group
     */
    PretrainConfig make(int classes, long trainRecords, String trainData, Pretrained pretrained, SortedMap<String, String> group);
  }

  /**
   * @param training the training run's outcome
   * @param scores every epoch's validation and test accuracy, from metrics.jsonl (epochs before a resume included)
   * @param selected the epoch the stopping rule picks (highest validation accuracy)
   */
  public record Result(PretrainJob.Result training, LabelSplit split, int classes, List<ClassifierMonitor.EpochScore> scores,
      ClassifierMonitor.EpochScore selected, Pretrained pretrained) {}

  public static Result run(SparkSession spark, Settings s, ConfigMaker maker, PrintWriter progress) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    HadoopFiles.requireApart("--run", s.run(), "--train", s.train(), hadoop);
    HadoopFiles.requireApart("--run", s.run(), "--test", s.test(), hadoop);
    LabeledData train = LabeledData.open(spark, "--train", s.train());
    LabeledData test = LabeledData.open(spark, "--test", s.test());
    if (train.kind() != test.kind()) {
      throw new DatasetException("--train " + s.train() + " holds " + train.kind() + " but --test " + s.test() + " holds " + test.kind()
          + "; fine-tune and test on the same kind of data");
    }
    boolean text = train.kind() == DatasetKind.TEXT;
    if (!text && !Arrays.equals(train.shape(), test.shape())) {
      throw new DatasetException("--train holds images of " + Arrays.toString(train.shape()) + " (channels, height, width) but --test "
          + Arrays.toString(test.shape()) + "; prepare both with the same --resize and channels");
    }
    Checkpoint checkpoint = s.model() == null ? null : RunDirectory.resolve(s.model(), hadoop);
    Pretrained pretrained = null;
    if (checkpoint != null) {
      RunInfo info = checkpoint.info();
      String kind = text ? "text" : "image";
      if (!kind.equals(info.input().kind())) {
        throw new DatasetException("--model " + s.model() + " is a " + info.input().kind() + " model (" + info.method() + "), but --train "
            + s.train() + " holds " + train.kind() + "; fine-tune " + (text ? "a text run (mlm) on text" : "an image run on images"));
      }
      if (text) {
        EncoderSource.requireCompatibleText(checkpoint, Map.of("--train", train.dataset(), "--test", test.dataset()), hadoop);
        int maxLength = info.input().maxLength();
        if (train.dataset().text().seqLen() != maxLength) {
          throw new DatasetException("--train " + s.train() + " has windows of up to " + train.dataset().text().seqLen() + " tokens but --model "
              + s.model() + " was pretrained on " + maxLength + "; its position table is copied as it is: prepare the labelled text with"
              + " prepare-text --seq-len " + maxLength + " --vocab " + new Path(checkpoint.dir(), Checkpoint.VOCAB_FILE));
        }
      } else {
        int[] shape = {info.input().channels(), info.input().height(), info.input().width()};
        if (!Arrays.equals(shape, train.shape())) {
          throw new DatasetException("--model " + s.model() + " was pretrained on images of " + Arrays.toString(shape) + " (channels, height,"
              + " width), but --train holds " + Arrays.toString(train.shape()) + "; prepare the labelled data with prepare-images --resize "
              + shape[1] + (shape[0] == 3 ? " and RGB images" : " and grayscale images"));
        }
      }
      pretrained = new Pretrained(checkpoint.dir().toString(), info.encoder(), modelSha256(checkpoint, hadoop));
    }
    int classes = classes(spark, train, test);

    RunDirectory runDir = new RunDirectory(s.run(), hadoop);
    boolean resuming = runDir.latest().isPresent();
    if (s.resume() == ResumeMode.NEVER && runDir.hasContent()) {
      throw new RunException("--run " + s.run() + " already holds a run; pass --resume to continue it, or choose another --run");
    }
    if (s.resume() == ResumeMode.ALWAYS && !resuming) {
      throw new RunException("--resume: --run " + s.run() + " holds no complete checkpoint to resume from; start it without --resume,"
          + " or use --resume auto");
    }
    String splits = new Path(runDir.root(), "splits").toString();
    String trainSha = train.dataset().manifestSha256(hadoop);
    LabelSplit split = resuming ? LabelSplit.open(spark, splits)
        : LabelSplit.write(spark, train.dataset(), s.train(), trainSha, s.seed(), s.labelFraction(), s.validationFraction(), splits);
    progress.printf(Locale.ROOT, "finetune: %d classes; %d training records (%.4g of each class's labels), %d for validation%n", classes,
        split.trainRecords(), s.labelFraction(), split.validationRecords());
    progress.flush();

    SortedMap<String, String> group = new TreeMap<>();
    group.put("--model", s.model() == null ? "" : s.model());
    group.put("pretrained-model-sha256", pretrained == null ? "" : pretrained.sha256());
    group.put("--from-scratch", Boolean.toString(s.fromScratch()));
    group.put("--label-fraction", Double.toString(s.labelFraction()));
    group.put("--validation-fraction", Double.toString(s.validationFraction()));
    group.put("train-manifest-sha256", trainSha);
    PretrainConfig config = maker.make(classes, split.trainRecords(), split.train(), pretrained, group);
    Classifier classifier = (Classifier) config.method();
    LabeledData validation = split.validationRecords() == 0 ? null : LabeledData.open(spark, "the validation split", split.validation());
    ModelInput input = PretrainJob.inputOf(train.dataset());
    int epochs = config.training().epochs();
    int every = s.evaluateEvery() > 0 ? s.evaluateEvery() : ClassifierMonitor.defaultEvery(epochs);
    UnaryOperator<ComputationGraph> warmStart = UnaryOperator.identity();
    if (checkpoint != null && !s.fromScratch()) {
      Checkpoint from = checkpoint;
      warmStart = network -> {
        long copied = PretrainedEncoder.copy(from.loadModel(hadoop), from.info().representationVertex(), network);
        progress.printf(Locale.ROOT, "finetune: %,d encoder parameters from %s (%s, %s)%n", copied, from.dir(), from.info().method(),
            from.info().encoder());
        return network;
      };
    }
    PretrainJob.Extension extension = new PretrainJob.Extension(warmStart,
        metrics -> List.<RoundListener>of(new ClassifierMonitor(spark, classifier, input, validation, test, metrics, progress, every, epochs)),
        true);
    PretrainJob.Result trained = PretrainJob.run(spark, config, progress, List.of(), extension);
    List<ClassifierMonitor.EpochScore> scores = scores(runDir);
    return new Result(trained, split, classes, scores, ClassifierMonitor.selected(scores), pretrained);
  }

  /** The labels' classes: the label names' count, else one more than the largest label of either dataset. */
  static int classes(SparkSession spark, LabeledData train, LabeledData test) {
    List<String> names = train.dataset().manifest().labelNames();
    Row r = train.records(spark).agg(functions.max(ImageRecords.LABEL), functions.min(ImageRecords.LABEL)).first();
    Row t = test.records(spark).agg(functions.max(ImageRecords.LABEL), functions.min(ImageRecords.LABEL)).first();
    int max = Math.max(r.getInt(0), t.getInt(0));
    if (Math.min(r.getInt(1), t.getInt(1)) < 0) {
      throw new DatasetException("--train or --test has a negative label; labels must be 0..K-1");
    }
    int classes = names != null ? names.size() : max + 1;
    if (max >= classes) {
      throw new DatasetException("--test has label " + max + " but --train names " + classes + " classes " + names
          + "; prepare both with the same labels");
    }
    if (classes < 2) {
      throw new DatasetException("--train has a single class; a classifier needs at least two");
    }
    return classes;
  }

  static String modelSha256(Checkpoint checkpoint, Configuration hadoop) {
    Path sum = new Path(checkpoint.dir(), ModelFiles.CHECKSUM_FILE);
    if (!HadoopFiles.exists(sum, hadoop)) {
      return "";
    }
    return HadoopFiles.readString(sum, hadoop).trim().split("\\s+")[0];
  }

  /** Every {@code finetune} record of metrics.jsonl, one per epoch (the last of an epoch scored twice). */
  static List<ClassifierMonitor.EpochScore> scores(RunDirectory runDir) {
    TreeMap<Integer, ClassifierMonitor.EpochScore> byEpoch = new TreeMap<>();
    for (String line : runDir.readMetrics()) {
      try {
        JsonNode n = JSON.readTree(line);
        if (n != null && "finetune".equals(n.path("type").asText())) {
          int epoch = n.path("epoch").asInt();
          byEpoch.put(epoch, new ClassifierMonitor.EpochScore(epoch, n.path("roundsDone").asLong(), number(n.path("validation")),
              number(n.path("test"))));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("metrics.jsonl of " + runDir.root() + " has a line that is not JSON", e);
      }
    }
    return new ArrayList<>(byEpoch.values());
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
