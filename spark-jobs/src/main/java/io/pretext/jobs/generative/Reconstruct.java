package io.pretext.jobs.generative;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.preview.Png;
import io.pretext.data.preview.ViewGrid;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.PixelEncoder;
import io.pretext.jobs.lifecycle.SparkClustering;
import io.pretext.jobs.lifecycle.SparkVectors;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.model.InputShape;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.lifecycle.Pca;
import io.pretext.model.lifecycle.Vectors;
import io.pretext.model.method.ImageSampler;
import io.pretext.model.method.Methods;
import io.pretext.model.method.Reconstructor;
import io.pretext.model.method.SslMethod;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code pretext reconstruct}: a generative run's reconstructions of a dataset's images, as a PNG (rows of inputs, each
 * above a row of their reconstructions; with {@code --interpolate}, rows decoded along the line between two inputs'
 * codes; then, with {@code --samples}, rows of images a VAE generates from its prior)
 * and as scores (mean squared error per pixel, the VAE's negative ELBO per image) on a fixed sample of the dataset
 * ({@link ImageSample}), with PCA's reconstruction error at as many components as the method's code beside them when
 * {@code --pca-train} names the images to fit PCA on (Spark MLlib, centred; reconstruction
 * {@code mean + (x - mean) P P^T}). A method that generates without reconstructing (a GAN, an {@link ImageSampler}
 * only) gets a PNG of generated images and no scores.
 */
public final class Reconstruct {
  /** The grid's file name in a run directory, which the run report shows. */
  public static final String GRID = "reconstruction.png";
  /** Images per grid row. */
  public static final int ROW = 8;
  /** Interpolation rows at most. */
  static final int PAIRS = 4;

  private Reconstruct() {}

  /** What was written and measured. */
  public record Result(String model, String checkpoint, long roundsDone, String method, int images, Double mse, Double negativeElbo,
      Integer pcaComponents, Double pcaMse, int samples, int interpolations, String output) {}

  /**
   * Runs it.
   *
   * @throws RunException if the run is not of a generative method
   */
  public static Result run(SparkSession spark, ReconstructConfig config, PrintWriter progress) {
    Checkpoint checkpoint = RunDirectory.resolve(config.model(), spark.sparkContext().hadoopConfiguration());
    SslMethod method = MethodRebuild.method(checkpoint.info());
    boolean reconstructs = method instanceof Reconstructor;
    if (!reconstructs && !(method instanceof ImageSampler)) {
      throw new RunException("--model " + checkpoint.dir() + " is a " + checkpoint.info().method() + " run; reconstruct needs a run of a"
          + " method that reconstructs or generates images (pretrain --method "
          + Methods.namesWhere(m -> m instanceof Reconstructor || m instanceof ImageSampler) + ")");
    }
    if (config.samples() > 0 && !(method instanceof ImageSampler)) {
      throw new IllegalArgumentException("invalid value for --samples: '" + config.samples() + "' (method " + method.name()
          + " has no model to sample images from; allowed: 0, or a run of " + Methods.namesWhere(m -> m instanceof ImageSampler) + ")");
    }
    if (config.interpolate() > 0 && !reconstructs) {
      throw new IllegalArgumentException("invalid value for --interpolate: '" + config.interpolate() + "' (method " + method.name()
          + " has no code to interpolate images in; allowed: 0, or a run of " + Methods.namesWhere(m -> m instanceof Reconstructor) + ")");
    }
    if (config.pcaTrain() != null && !reconstructs) {
      throw new IllegalArgumentException("invalid value for --pca-train: '" + config.pcaTrain() + "' (method " + method.name()
          + " generates images but does not reconstruct them, so there is no reconstruction error to compare with PCA's; drop"
          + " --pca-train)");
    }
    if (reconstructs && config.data() == null) {
      throw new IllegalArgumentException("missing --data: a " + method.name() + " run reconstructs the images of a prepared image dataset;"
          + " give one, e.g. the test split");
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ComputationGraph graph = checkpoint.loadModel(hadoop);
    List<FloatImage[]> grid = new ArrayList<>();
    Map<String, Double> scores = Map.of();
    Double pcaMse = null;
    int scoredImages = 0;
    int interpolations = 0;
    String shown = "";
    if (method instanceof Reconstructor reconstructor) {
      PreparedDataset data = PreparedDataset.open(config.data(), hadoop);
      ImageSample sample = ImageSample.of(spark, "--data", data, Math.max(config.count(), config.scoreImages()));
      InputShape expected = ConvDecoder.imageShape(graph, outputLayer(graph));
      if (!expected.equals(sample.shape())) {
        throw new RunException("--data " + config.data() + " holds " + sample.shape() + " images but the run " + checkpoint.dir()
            + " was trained on " + expected + ": reconstruct images prepared like its training data");
      }
      INDArray scored = rows(sample.images(), Math.min(sample.size(), config.scoreImages()));
      scoredImages = (int) scored.size(0);
      scores = ReconstructionMonitor.score(reconstructor, graph, scored, config.seed());
      progress.printf(Locale.ROOT, "reconstruct: %s run, %d images of %s: MSE per pixel %.5f%s%n", method.name(), scored.size(0),
          config.data(), scores.get("mse"), scores.containsKey("negativeElbo")
              ? String.format(Locale.ROOT, ", negative ELBO %.2f nats per image", scores.get("negativeElbo")) : "");
      if (config.pcaTrain() != null) {
        pcaMse = pcaMse(spark, config.pcaTrain(), reconstructor.codeSize(), scored);
        progress.printf(Locale.ROOT, "reconstruct: PCA with %d components (fitted on %s): MSE per pixel %.5f%n", reconstructor.codeSize(),
            config.pcaTrain(), pcaMse);
      }
      INDArray inputs = rows(sample.images(), Math.min(sample.size(), config.count()));
      grid.addAll(pairs(inputs, reconstructor.reconstruct(graph, inputs)));
      shown = inputs.size(0) + " inputs above their reconstructions";
      if (config.interpolate() > 0) {
        List<FloatImage[]> lines = interpolations(reconstructor, graph, inputs, config.interpolate());
        interpolations = lines.size();
        grid.addAll(lines);
        shown += ", " + lines.size() + " interpolations";
      }
    }
    // a method that only generates (a GAN) shows --count samples unless --samples says otherwise
    int samples = reconstructs ? config.samples() : (config.samples() > 0 ? config.samples() : config.count());
    if (samples > 0) {
      INDArray drawn = ((ImageSampler) method).sample(graph, checkpoint.loadState(hadoop), samples, config.seed());
      grid.addAll(gridRows(drawn));
      shown += (shown.isEmpty() ? "" : ", then ") + drawn.size(0) + " generated samples";
    }
    int tile = Math.min(128, Math.max(56, 2 * grid.get(0)[0].height()));
    HadoopFiles.writeAtomically(new Path(config.output()), Png.encode(ViewGrid.render(grid, tile, 2)), hadoop);
    progress.printf(Locale.ROOT, "reconstruct: wrote %s (%s)%n", config.output(), shown);
    progress.flush();
    return new Result(config.model(), checkpoint.dir().toString(), checkpoint.info().roundsDone(), method.name(), scoredImages,
        scores.get("mse"), scores.get("negativeElbo"), pcaMse == null ? null : ((Reconstructor) method).codeSize(), pcaMse, samples,
        interpolations, config.output());
  }

  private static String outputLayer(ComputationGraph graph) {
    return graph.getConfiguration().getNetworkOutputs().get(0);
  }

  private static INDArray rows(INDArray images, long n) {
    return images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
  }

  /**
   * PCA's mean squared error per pixel on {@code images} with {@code k} components fitted on the images of {@code trainUri}.
   */
  static double pcaMse(SparkSession spark, String trainUri, int k, INDArray images) {
    PreparedDataset train = PreparedDataset.open(trainUri, spark.sparkContext().hadoopConfiguration());
    ImageSample.imageShape("--pca-train", train); // the same checks as --data
    InputShape s = InputShape.ofBatch(images);
    Vectors pixels = SparkVectors.fromFeatures(Features.of(spark, train.records(spark), new PixelEncoder(s.channels(), s.height(), s.width())),
        () -> { });
    try {
      Pca pca = new SparkClustering(spark).fitPca(pixels, k);
      return pcaMse(pca, images);
    } finally {
      pixels.release();
    }
  }

  /** {@code mean over pixels of (x - (mean + (x - mean) P P^T))^2}. */
  static double pcaMse(Pca pca, INDArray images) {
    int d = pca.mean().length;
    int k = pca.k();
    float[] x = images.dup('c').data().asFloat();
    int n = x.length / d;
    double sum = 0;
    double[] y = new double[k];
    for (int i = 0; i < n; i++) {
      Arrays.fill(y, 0);
      for (int j = 0; j < d; j++) {
        double c = x[i * d + j] - pca.mean()[j];
        for (int l = 0; l < k; l++) {
          y[l] += c * pca.components()[j][l];
        }
      }
      for (int j = 0; j < d; j++) {
        double r = pca.mean()[j];
        for (int l = 0; l < k; l++) {
          r += y[l] * pca.components()[j][l];
        }
        double e = x[i * d + j] - r;
        sum += e * e;
      }
    }
    return sum / ((double) n * d);
  }

  /**
   * Up to {@value #PAIRS} rows: for inputs {@code 2i} and {@code 2i + 1}, {@code steps} images decoded from the codes
   * {@code (1 - t) a + t b}, {@code t = 0, 1/(steps - 1), ..., 1}, where {@code a} and {@code b} are their codes.
   */
  static List<FloatImage[]> interpolations(Reconstructor method, ComputationGraph graph, INDArray inputs, int steps) {
    int pairs = (int) Math.min(PAIRS, inputs.size(0) / 2);
    List<FloatImage[]> rows = new ArrayList<>();
    if (pairs == 0) {
      return rows;
    }
    INDArray codes = method.encode(graph, rows(inputs, 2L * pairs));
    INDArray line = Nd4j.create(codes.dataType(), (long) pairs * steps, codes.size(1));
    for (int p = 0; p < pairs; p++) {
      INDArray a = codes.getRow(2L * p);
      INDArray b = codes.getRow(2L * p + 1);
      for (int k = 0; k < steps; k++) {
        double t = k / (steps - 1.0);
        line.putRow((long) p * steps + k, a.mul(1 - t).addi(b.mul(t)));
      }
    }
    INDArray decoded = method.decode(graph, line);
    for (int p = 0; p < pairs; p++) {
      List<FloatImage[]> row = gridRows(decoded.get(NDArrayIndex.interval((long) p * steps, (long) (p + 1) * steps), NDArrayIndex.all(),
          NDArrayIndex.all(), NDArrayIndex.all()), steps);
      rows.addAll(row);
    }
    return rows;
  }

  /** Rows of {@value #ROW} inputs, each followed by the row of their reconstructions. */
  private static List<FloatImage[]> pairs(INDArray inputs, INDArray reconstructions) {
    List<FloatImage[]> in = gridRows(inputs);
    List<FloatImage[]> out = gridRows(reconstructions);
    List<FloatImage[]> grid = new ArrayList<>();
    for (int r = 0; r < in.size(); r++) {
      grid.add(in.get(r));
      grid.add(out.get(r));
    }
    return grid;
  }

  private static List<FloatImage[]> gridRows(INDArray images) {
    return gridRows(images, ROW);
  }

  private static List<FloatImage[]> gridRows(INDArray images, int width) {
    InputShape s = InputShape.ofBatch(images);
    int n = (int) images.size(0);
    float[] data = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
    int per = s.channels() * s.height() * s.width();
    List<FloatImage[]> rows = new ArrayList<>();
    for (int from = 0; from < n; from += width) {
      FloatImage[] row = new FloatImage[Math.min(width, n - from)];
      for (int i = 0; i < row.length; i++) {
        row[i] = FloatImage.of(s.channels(), s.height(), s.width(), Arrays.copyOfRange(data, (from + i) * per, (from + i + 1) * per));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The result as the JSON line's fields. */
  public static Map<String, Object> fields(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.model());
    m.put("checkpoint", r.checkpoint());
    m.put("roundsDone", r.roundsDone());
    m.put("method", r.method());
    m.put("images", r.images());
    if (r.mse() != null) {
      m.put("mse", r.mse());
    }
    if (r.negativeElbo() != null) {
      m.put("negativeElbo", r.negativeElbo());
    }
    if (r.pcaMse() != null) {
      m.put("pcaComponents", r.pcaComponents());
      m.put("pcaMse", r.pcaMse());
    }
    m.put("samples", r.samples());
    m.put("interpolations", r.interpolations());
    m.put("output", r.output());
    return m;
  }
}
