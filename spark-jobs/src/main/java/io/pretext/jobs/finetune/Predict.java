package io.pretext.jobs.finetune;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.jobs.eval.EncoderSource;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.method.Classifier;
import io.pretext.model.method.SslMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code pretext predict}: a fine-tuned classifier applied to a corpus on Spark. The input is a prepared dataset (images,
 * or text tokenised with the model's vocabulary, a document scored by the mean of its windows' scores), or a raw image
 * corpus, which is first prepared exactly as {@code prepare-images} would (the same reader, validation,
 * quarantine and de-duplication; channels and size from the model) into {@code OUTPUT/prepared}: broken records are
 * listed with their reason in {@code OUTPUT/prepared/quarantine}, and records with the same content are predicted
 * once, the others listed in {@code OUTPUT/prepared/duplicates} with the source kept. Predictions go to
 * {@code OUTPUT/predictions}: per record its source, id, predicted class (and its name when the labels have names), its
 * probability and the top k classes with theirs ({@link #SCHEMA}).
 */
public final class Predict {
  /** Predictions' columns. */
  public static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("id", DataTypes.StringType, false)
      .add("predicted", DataTypes.IntegerType, false)
      .add("predictedName", DataTypes.StringType, true)
      .add("probability", DataTypes.DoubleType, false)
      .add("topK", DataTypes.createArrayType(new StructType()
          .add("class", DataTypes.IntegerType, false)
          .add("probability", DataTypes.DoubleType, false), false), false);

  private Predict() {}

  /**
   * @param model a fine-tuning run or checkpoint
   * @param input a prepared dataset or a raw image corpus
   * @param output the directory to write
   * @param format {@code parquet} or {@code json}
   * @param inputFormat how to read a raw corpus ({@code auto}, {@code files}, {@code idx}, {@code parquet})
   * @param glob file-name filter of a raw directory tree
   * @param imageColumn binary image column of a raw Parquet corpus
   * @param topK classes listed per record, 1..classes
   */
  public record Config(String model, String input, String output, String format, String inputFormat, String glob, String imageColumn,
      int topK, boolean overwrite) {
    public Config {
      OptionCheck.require(format.equals("parquet") || format.equals("json"), "--format", format, "parquet or json");
      OptionCheck.require(topK >= 1 && topK <= 1000, "--top-k", topK, "an integer 1..1000 (at most the model's classes)");
    }
  }

  /**
   * @param predictions where they are
   * @param records records predicted
   * @param quarantined records of a raw corpus that could not be read, with reasons under {@code prepared/quarantine}
   * @param duplicates records of a raw corpus with the content of another, listed under {@code prepared/duplicates}
   */
  public record Result(String predictions, long records, long quarantined, long duplicates, double seconds) {}

  public static Result run(SparkSession spark, Config config) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Checkpoint checkpoint = RunDirectory.resolve(config.model(), hadoop);
    RunInfo info = checkpoint.info();
    SslMethod method = MethodRebuild.method(info);
    if (!(method instanceof Classifier classifier)) {
      throw new RunException("--model " + config.model() + " is a " + info.method() + " run, which has no classifier; predict needs a run"
          + " of pretext finetune (fine-tune this run first: pretext finetune --model " + config.model() + " ...)");
    }
    OptionCheck.require(config.topK() <= classifier.classes(), "--top-k", config.topK(), "1.." + classifier.classes() + ", the model's classes");
    Path out = new Path(config.output());
    HadoopFiles.requireApart("--output", config.output(), "--input", config.input(), hadoop);
    if (HadoopFiles.exists(out, hadoop) && !config.overwrite()) {
      throw new DatasetException("--output " + config.output() + " already exists; pass --overwrite to replace it");
    }
    ModelInput input = info.input().toModelInput();
    boolean prepared = isPrepared(config.input(), hadoop);
    PreparedDataset dataset;
    long quarantined = 0;
    long duplicates = 0;
    if (input instanceof TokenInput tokens) {
      if (!prepared) {
        throw new DatasetException("--input " + config.input() + " is not a prepared dataset, and a text model reads text tokenised as it"
            + " was trained: prepare it with prepare-text --vocab " + new Path(checkpoint.dir(), Checkpoint.VOCAB_FILE) + " --seq-len "
            + tokens.maxLength() + (Boolean.TRUE.equals(info.input().lowercase()) ? " --lowercase" : "") + ", then pass the prepared dataset");
      }
      dataset = PreparedDataset.open(config.input(), spark).requireKind(DatasetKind.TEXT, "predict with text model " + config.model());
      EncoderSource.requireCompatibleText(checkpoint, Map.of("--input", dataset), hadoop);
      replace(out, hadoop);
    } else {
      InputShape shape = (InputShape) input;
      if (prepared) {
        dataset = PreparedDataset.open(config.input(), spark).requireKind(DatasetKind.IMAGE, "predict with image model " + config.model());
      } else {
        if (shape.height() != shape.width()) {
          throw new DatasetException("the model takes " + shape.height() + "x" + shape.width() + " images, which prepare-images' --resize"
              + " (square) cannot make; prepare --input yourself and pass the prepared dataset");
        }
        replace(out, hadoop);
        String target = new Path(out, "prepared").toString();
        PrepareImagesJob.run(spark, new PrepareConfig(config.input(), target, config.inputFormat(), config.glob(), null, false,
            config.imageColumn(), null, shape.channels(), shape.height(), PrepareConfig.DEFAULT_MAX_PIXELS, PrepareConfig.DEFAULT_MAX_FILE_BYTES,
            16, 42, false));
        dataset = PreparedDataset.open(target, spark);
        quarantined = dataset.manifest().counts().quarantined();
        duplicates = dataset.manifest().counts().duplicates();
      }
      DatasetManifest.ImageGeometry g = dataset.manifest().image();
      if (g == null || g.channels() != shape.channels() || g.height() != shape.height() || g.width() != shape.width()) {
        throw new DatasetException("--input " + config.input() + " holds images of " + (g == null ? "several sizes" : g.channels() + "x"
            + g.height() + "x" + g.width()) + " (channels x height x width), but the model takes " + shape.channels() + "x" + shape.height()
            + "x" + shape.width() + "; prepare it with prepare-images --resize " + shape.height() + " --channels " + shape.channels()
            + ", or pass the raw corpus");
      }
      if (prepared) {
        replace(out, hadoop); // a raw corpus was prepared into the replaced output already
      }
    }
    List<String> names = namesOf(info, hadoop);
    int k = config.topK();
    try (ClassScores.Scorer scorer = ClassScores.broadcast(spark, checkpoint.loadModel(hadoop), classifier, input)) {
      Dataset<Row> scores = scorer.of(dataset.records(spark));
      Dataset<Row> predictions = spark.createDataFrame(scores.javaRDD().map(r -> row(r, k, names)), SCHEMA);
      String target = new Path(out, "predictions").toString();
      predictions.write().format(config.format()).save(target);
      long records = spark.read().format(config.format()).schema(SCHEMA).load(target).count();
      return new Result(target, records, quarantined, duplicates, (System.nanoTime() - start) / 1e9);
    }
  }

  private static Row row(Row scores, int k, List<String> names) {
    double[] p = ClassScores.softmax(Features.floats(scores, 3));
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
    List<Row> top = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      top.add(RowFactory.create(order[i], p[order[i]]));
    }
    int best = order[0];
    return RowFactory.create(scores.getString(1), scores.getString(0), best, names == null || best >= names.size() ? null : names.get(best),
        p[best], top.toArray(Row[]::new));
  }

  /** The label names of the dataset the classifier was fine-tuned on, when it had them and is still readable. */
  private static List<String> namesOf(RunInfo info, Configuration hadoop) {
    try {
      return PreparedDataset.open(info.datasetUri(), hadoop).manifest().labelNames();
    } catch (RuntimeException gone) {
      return null;
    }
  }

  /** Removes a previous output ({@code --overwrite}), once the inputs have been checked. */
  private static void replace(Path out, Configuration hadoop) {
    try {
      if (HadoopFiles.exists(out, hadoop)) {
        HadoopFiles.fs(out, hadoop).delete(out, true);
      }
    } catch (IOException e) {
      throw new DatasetException("cannot replace --output " + out + ": " + e.getMessage(), e);
    }
  }

  private static boolean isPrepared(String uri, Configuration hadoop) {
    return HadoopFiles.exists(new Path(uri, DatasetManifest.FILE_NAME), hadoop);
  }
}
