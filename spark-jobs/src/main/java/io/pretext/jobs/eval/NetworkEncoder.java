package io.pretext.jobs.eval;

import io.pretext.data.image.Pixels;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.method.Representations;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A frozen encoder evaluated in the executors. The driver reduces the network to its encoder
 * ({@link Representations#encoderOnly}: the projection head and loss are dropped) and broadcasts two
 * values: the graph configuration as JSON and the flat parameter vector ({@code float[]}, BatchNorm
 * running statistics included). Each partition rebuilds the graph once from them
 * ({@link #open()}), then encodes images in batches of {@code batchSize}: pixels become network input through
 * {@link Pixels}, as in training, in an {@code [B, C, H, W]} array, and
 * {@link Representations#of} returns {@code [B, D]} in inference mode.
 *
 * <p>Memory: every executor holds the broadcast parameters once plus one graph per running task
 * (small-cnn: 0.4 MB; resnet50: 100 MB).
 */
public final class NetworkEncoder implements FeatureEncoder {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final BroadcastGraph network;
  private final String vertex;
  private final int dimension;
  private final int[] shape;
  private final int batchSize;

  private NetworkEncoder(String kind, BroadcastGraph network, String vertex, int dimension, int[] shape, int batchSize) {
    this.kind = kind;
    this.network = network;
    this.vertex = vertex;
    this.dimension = dimension;
    this.shape = shape;
    this.batchSize = batchSize;
  }

  /**
   * Broadcasts the encoder part of {@code graph}.
   *
   * @param kind {@code trained} or {@code random}
   * @param graph a network holding {@code vertex}, e.g. a checkpoint's SimCLR graph
   * @param vertex the representation vertex
   * @param dimension its width D
   * @param shape {@code {C, H, W}} of the images the network takes
   * @param batchSize images per forward pass, &gt;= 1
   */
  public static NetworkEncoder broadcast(JavaSparkContext sc, String kind, ComputationGraph graph, String vertex, int dimension,
      int[] shape, int batchSize) {
    OptionCheck.require(batchSize >= 1, "--batch-size", batchSize, "an integer >= 1");
    ComputationGraph encoder = Representations.encoderOnly(graph, vertex);
    return new NetworkEncoder(kind, BroadcastGraph.of(sc, encoder), vertex, dimension, shape.clone(), batchSize);
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int[] imageShape() {
    return shape.clone();
  }

  /** Rebuilds the encoder graph from the broadcast values. */
  ComputationGraph graph() {
    return network.rebuild();
  }

  @Override
  public Open open() {
    ComputationGraph graph = graph();
    int c = shape[0];
    int h = shape[1];
    int w = shape[2];
    int pixels = c * h * w;
    return images -> {
      float[][] out = new float[images.size()][];
      for (int start = 0; start < images.size(); start += batchSize) {
        int b = Math.min(batchSize, images.size() - start);
        float[] x = new float[b * pixels];
        for (int i = 0; i < b; i++) {
          Pixels.toInput(images.get(start + i).pixels(), x, i * pixels);
        }
        INDArray reps = Representations.of(graph, vertex, Nd4j.create(x, new long[] {b, c, h, w}, 'c'));
        float[][] m = reps.castTo(DataType.FLOAT).toFloatMatrix();
        System.arraycopy(m, 0, out, start, b);
      }
      return out;
    };
  }

  /** The broadcast values are released with {@code unpersist}; call when the features are computed. */
  public void release() {
    network.release();
  }
}
