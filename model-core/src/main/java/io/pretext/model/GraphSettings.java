package io.pretext.model;

import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.optim.OptimizerConfig;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Settings every method applies when it builds its DL4J graph.
 *
 * @param seed      seed for weight initialisation (DL4J {@code NeuralNetConfiguration.Builder.seed}); comes from the
 *                  run configuration, never from the clock
 * @param dataType  network data type: {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks;
 *                  only FLOAT, DOUBLE and HALF are accepted
 * @param optimizer optimiser and learning-rate schedule
 */
public record GraphSettings(long seed, DataType dataType, OptimizerConfig optimizer) {

  public GraphSettings {
    Objects.requireNonNull(dataType, "GraphSettings.dataType is null; use DataType.FLOAT (or DOUBLE for gradient checks)");
    Objects.requireNonNull(optimizer, "GraphSettings.optimizer is null; e.g. OptimizerConfig.adamW(1e-3, 1e-4, warmup, total)");
    if (!dataType.isFPType() || dataType == DataType.BFLOAT16) {
      throw new IllegalArgumentException("GraphSettings.dataType = " + dataType
          + " is invalid: allowed FLOAT, DOUBLE, HALF; use FLOAT for training, DOUBLE for gradient checks");
    }
  }

  /** FLOAT network with the given seed and optimiser. */
  public static GraphSettings of(long seed, OptimizerConfig optimizer) {
    return new GraphSettings(seed, DataType.FLOAT, optimizer);
  }

  /**
   * The DL4J builder every method's graph starts from: seed, data type, optimiser, weight regularisation and
   * {@link #cacheMode()}. Methods add their layers to its {@code graphBuilder()}.
   */
  public NeuralNetConfiguration.Builder configurationBuilder() {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(dataType)
        .updater(optimizer.updater())
        .regularization(optimizer.weightRegularization())
        .cacheMode(cacheMode());
  }

  /**
   * {@link CacheMode#DEVICE} when the graph will run on DL4J's oneDNN helpers (FLOAT, {@link
   * LayerHelpers#oneDnnActiveByDefault()}), otherwise {@link CacheMode#NONE}.
   *
   * <p>Without a cache, DL4J 1.0.0-M2.1's {@code ConvolutionLayer.backpropGradient} runs the layer's forward
   * convolution a second time to get its pre-activation. With the cache it keeps that output from the forward pass
   * (one more activation-sized array per convolution). On {@code small-cnn}, batch 128, one thread, that took
   * training from 218 to 270 images/s with bit-identical results (docs/performance.md). DL4J's built-in
   * convolution would also cache its im2col buffer, k*k times the activation; that path keeps {@code NONE}.
   */
  public CacheMode cacheMode() {
    return cacheModeFor(dataType);
  }

  /**
   * Gives a restored graph the cache mode {@link #cacheMode()} would choose on this machine. A checkpoint keeps the
   * cache mode of the machine that wrote it, and a oneDNN checkpoint resumed on the portable build would otherwise
   * cache the built-in layers' im2col buffers. Sets the graph configuration, every layer configuration (Spark
   * workers build their networks from a clone of it) and the live layers.
   */
  public static void adaptCacheMode(ComputationGraph graph) {
    CacheMode mode = cacheModeFor(graph.params().dataType());
    ComputationGraphConfiguration conf = graph.getConfiguration();
    conf.setCacheMode(mode);
    conf.getDefaultConfiguration().setCacheMode(mode);
    for (GraphVertex v : conf.getVertices().values()) {
      if (v instanceof LayerVertex layer) {
        layer.getLayerConf().setCacheMode(mode);
      }
    }
    graph.setCacheMode(mode);
  }

  private static CacheMode cacheModeFor(DataType dataType) {
    return dataType == DataType.FLOAT && LayerHelpers.oneDnnActiveByDefault() ? CacheMode.DEVICE : CacheMode.NONE;
  }

  /** Copy with another data type. */
  public GraphSettings withDataType(DataType newDataType) {
    return new GraphSettings(seed, newDataType, optimizer);
  }
}
