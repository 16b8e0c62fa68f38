package io.pretext.jobs.generative;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.InputShape;
import io.pretext.model.method.Reconstructor;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Held-out reconstruction at the end of every epoch ({@code --monitor URI} of a generative run): the mean squared error
 * per pixel (pixels in [0, 1]) of the {@link Reconstructor}'s reconstructions and, for a VAE, the negative ELBO per
 * image in nats (one noise sample per image, from the run's seed: the same draw every epoch), on a fixed sample of at
 * most {@value #MAX_IMAGES} held-out images ({@link ImageSample}), scored on the driver in inference mode.
 *
 * <p>Each epoch appends {@code {"type":"reconstruction","epoch","roundsDone","mse","negativeElbo"?,"images","seconds"}}
 * to {@code metrics.jsonl} and prints one progress line.
 */
public final class ReconstructionMonitor implements RoundListener {
  /** Most held-out images scored per epoch. */
  public static final int MAX_IMAGES = 2048;
  /** Images per forward pass. */
  public static final int BATCH_SIZE = 256;

  private final Reconstructor method;
  private final ImageSample sample;
  private final long seed;
  private final MetricsLog metrics;
  private final PrintWriter progress;

  /**
   * Reads the held-out sample.
   *
   * @param training the dataset the run trains on, whose image shape the held-out images must have
   * @throws DatasetException if the held-out dataset is not images of the training data's shape
   */
  public ReconstructionMonitor(SparkSession spark, String uri, PreparedDataset training, Reconstructor method, long seed,
      MetricsLog metrics, PrintWriter progress) {
    this.method = method;
    this.sample = ImageSample.of(spark, "--monitor", PreparedDataset.open(uri, spark.sparkContext().hadoopConfiguration()), MAX_IMAGES);
    DatasetManifest.ImageGeometry g = training.manifest().image();
    if (g != null && !sample.shape().equals(new InputShape(g.channels(), g.height(), g.width()))) {
      throw new DatasetException("--monitor " + uri + " holds " + sample.shape() + " images but --data " + training.root() + " holds "
          + new InputShape(g.channels(), g.height(), g.width()) + ": prepare the held-out images like the training data (prepare-images"
          + " --resize " + g.height() + (g.channels() == 3 ? " --channels 3" : "") + ")");
    }
    this.seed = seed;
    this.metrics = metrics;
    this.progress = progress;
  }

  /**
   * Mean scores of {@code method} with {@code network} on {@code images}: {@code mse} per pixel, and {@code negativeElbo}
   * per image when the method reports it.
   */
  public static Map<String, Double> score(Reconstructor method, ComputationGraph network, INDArray images, long seed) {
    Map<String, Double> sums = new HashMap<>();
    long n = images.size(0);
    for (long from = 0; from < n; from += BATCH_SIZE) {
      INDArray batch = images.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH_SIZE)), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.all());
      method.heldOutSums(network, batch, seed + from).forEach((k, v) -> sums.merge(k, v, Double::sum));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("mse", sums.get("squaredError") / images.length());
    if (sums.containsKey("negativeElbo")) {
      out.put("negativeElbo", sums.get("negativeElbo") / n);
    }
    return out;
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    long t0 = System.nanoTime();
    Map<String, Double> s = score(method, network, sample.images(), seed);
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.printf(Locale.ROOT, "epoch %d: held-out reconstruction MSE %.5f%s (%d images, %.1f s)%n", epoch + 1, s.get("mse"),
        s.containsKey("negativeElbo") ? String.format(Locale.ROOT, ", negative ELBO %.2f nats", s.get("negativeElbo")) : "",
        sample.size(), seconds);
    progress.flush();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "reconstruction");
    m.put("epoch", epoch);
    m.put("roundsDone", roundsDone);
    m.putAll(s);
    m.put("images", sample.size());
    m.put("seconds", seconds);
    metrics.append(m);
  }
}
