package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.SslMethod;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Builds the encoder {@code evaluate} and {@code embed} ask for: a {@link FeatureEncoder} for image datasets, a
 * {@link TextEncoder} for text datasets, after checking that the model reads the datasets as they were prepared.
 */
public final class EncoderSource {
  private EncoderSource() {}

  /**
   * The encoder for {@code kind}.
   *
   * @param model run or checkpoint directory ({@link RunDirectory#resolve}); ignored for pixels
   * @param shape {@code {C, H, W}} of the datasets, used by the pixel encoder and checked against the run's
   * @param seed weight-initialisation seed for {@link FeatureKind#RANDOM}
   * @throws DatasetException if the model takes images of another shape
   */
  public static FeatureEncoder resolve(SparkSession spark, FeatureKind kind, String model, int[] shape, long seed, int batchSize) {
    if (kind == FeatureKind.PIXELS) {
      return new PixelEncoder(shape[0], shape[1], shape[2]);
    }
    return of(spark, kind, RunDirectory.resolve(model, spark.sparkContext().hadoopConfiguration()), shape, seed, batchSize);
  }

  /**
   * The encoder for {@code kind} from a resolved checkpoint (null only for {@link FeatureKind#PIXELS}).
   *
   * @throws DatasetException if the checkpoint's network takes images of another shape
   */
  public static FeatureEncoder of(SparkSession spark, FeatureKind kind, Checkpoint checkpoint, int[] shape, long seed, int batchSize) {
    if (kind == FeatureKind.PIXELS) {
      return new PixelEncoder(shape[0], shape[1], shape[2]);
    }
    RunInfo info = checkpoint.info();
    ModelInput input = info.input().toModelInput();
    if (!(input instanceof InputShape s) || s.channels() != shape[0] || s.height() != shape[1] || s.width() != shape[2]) {
      throw new DatasetException("--model " + checkpoint.dir() + " takes " + info.input() + " input, but the datasets hold images of "
          + shape[0] + "x" + shape[1] + "x" + shape[2] + " (C x H x W); prepare them with the same --channels and --resize as"
          + " the training data");
    }
    ComputationGraph graph = kind == FeatureKind.TRAINED
        ? checkpoint.loadModel(spark.sparkContext().hadoopConfiguration())
        : MethodRebuild.randomInit(info, seed);
    return NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), kind.toString(), graph,
        info.representationVertex(), info.representationDim(), shape, batchSize);
  }

  /**
   * The text encoder for {@code kind} ({@code trained} or {@code random}) from a resolved checkpoint, after checking
   * that every dataset is what the model reads: a text model (its method a {@link MaskedTokenMethod}), the same
   * vocabulary (SHA-256 of {@code vocab.txt}), the same case setting, and windows no longer than its position table.
   *
   * @param datasets the text datasets to encode, by the option that named them ({@code --train})
   * @throws DatasetException naming the option, both values and the fix, if a dataset does not fit the model
   */
  public static TextEncoder text(SparkSession spark, FeatureKind kind, Checkpoint checkpoint, Map<String, LabeledData> datasets, long seed,
      int batchSize) {
    if (kind.baseline()) {
      throw new DatasetException("--features " + kind + " needs no model and has no text encoder (the text baseline is --features tfidf)");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunInfo info = checkpoint.info();
    ModelInput input = info.input().toModelInput();
    String first = datasets.keySet().iterator().next();
    if (!(input instanceof TokenInput tokens)) {
      throw new DatasetException("--model " + checkpoint.dir() + " is an image model (" + info.method() + ", " + info.input()
          + " input), but " + first + " " + datasets.get(first).uri() + " holds text; evaluate text with a text run (pretrain --method mlm)");
    }
    SslMethod method = MethodRebuild.method(info);
    if (!(method instanceof MaskedTokenMethod textMethod)) {
      throw new DatasetException("--model " + checkpoint.dir() + ": method " + info.method() + " does not read token sequences");
    }
    Map<String, PreparedDataset> prepared = new java.util.LinkedHashMap<>();
    datasets.forEach((option, data) -> prepared.put(option, data.dataset()));
    requireCompatibleText(checkpoint, prepared, conf);
    ComputationGraph graph = kind == FeatureKind.TRAINED ? checkpoint.loadModel(conf) : MethodRebuild.randomInit(info, seed);
    return TextEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), kind.toString(), graph, textMethod,
        info.representationDim(), tokens.maxLength(), batchSize);
  }

  /**
   * Checks that text datasets were tokenised as the model of {@code checkpoint} reads: the same vocabulary, case
   * setting and Unicode form, and windows no longer than its position table.
   *
   * @param datasets by the option that named them, for messages
   * @throws DatasetException naming the dataset, the difference and the fix
   */
  public static void requireCompatibleText(Checkpoint checkpoint, Map<String, PreparedDataset> datasets, Configuration conf) {
    RunInfo info = checkpoint.info();
    TokenInput tokens = (TokenInput) info.input().toModelInput();
    Vocabulary vocabulary = checkpoint.vocabulary(conf);
    for (Map.Entry<String, PreparedDataset> e : datasets.entrySet()) {
      PreparedDataset d = e.getValue();
      String where = e.getKey() + " " + d.root();
      String sha = d.vocabulary(conf).sha256();
      if (!sha.equals(vocabulary.sha256())) {
        throw new DatasetException(where + " was tokenised with another vocabulary (vocab.txt SHA-256 " + sha + ") than --model "
            + checkpoint.dir() + " (" + vocabulary.sha256() + "); its token ids mean other words to the model: prepare it with"
            + " prepare-text --vocab " + new Path(checkpoint.dir(), Checkpoint.VOCAB_FILE));
      }
      Boolean lowercase = info.input().lowercase();
      if (lowercase != null && lowercase != d.text().lowercase()) {
        throw new DatasetException(where + " was tokenised " + (d.text().lowercase() ? "lower-cased" : "cased") + " but --model "
            + checkpoint.dir() + " was trained " + (lowercase ? "lower-cased" : "cased") + "; prepare it "
            + (lowercase ? "with" : "without") + " prepare-text --lowercase");
      }
      if (info.input().normalization() != null) { // runs written before it was recorded are not checked
        String form = info.input().unicodeForm().optionValue();
        if (!form.equals(d.text().normalization())) {
          throw new DatasetException(where + " was normalised " + d.text().normalization() + " but --model " + checkpoint.dir()
              + " was trained on " + form + " text; prepare it with prepare-text --normalize " + form);
        }
      }
      if (d.text().seqLen() > tokens.maxLength()) {
        throw new DatasetException(where + " has windows of up to " + d.text().seqLen() + " tokens, but --model " + checkpoint.dir()
            + " takes at most " + tokens.maxLength() + "; prepare it with prepare-text --seq-len " + tokens.maxLength());
      }
    }
  }
}
