package io.pretext.model.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link ConvolutionLayer} for the first layer of a network, whose input is the data: its backward pass
 * computes the weight (and bias) gradient only, not the gradient with respect to the input, which nothing uses.
 * Configuration of {@link InputConvolutionLayer}; same parameters, forward pass and serialisation as DL4J's layer.
 *
 * <p>Why: DL4J's convolution always computes both gradients, and for a 3x3 convolution of one input channel
 * libnd4j's oneDNN (2.3) picks Winograd kernels for both backward passes, together about 8% of a {@code small-cnn}
 * training step, while the weight gradient alone is one small matrix product (docs/performance.md). Use it only
 * where the layer's input is the graph input (or a parameter-free transform of it).
 */
public class InputConvolution extends ConvolutionLayer {

  private static final long serialVersionUID = 1L;

  /** For JSON: fields are set by the deserialiser. */
  public InputConvolution() {
    super();
  }

  /** The layer {@code builder} describes (e.g. {@code new ConvolutionLayer.Builder(3, 3)...}), as an input layer. */
  public InputConvolution(ConvolutionLayer.Builder builder) {
    super(builder);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                           int layerIndex, INDArray layerParamsView, boolean initializeParams,
                           DataType networkDataType) {
    if (getNIn() <= 0 || getNOut() <= 0) {
      throw new IllegalStateException("InputConvolution layer '" + getLayerName() + "': nIn = " + getNIn()
          + ", nOut = " + getNOut() + " are invalid: both must be >= 1; set the graph's input types");
    }
    InputConvolutionLayer layer = new InputConvolutionLayer(conf, networkDataType);
    layer.setListeners(trainingListeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }

  /**
   * DL4J's own convolution with exactly this configuration (same parameters and forward pass), which also computes the
   * gradient with respect to its input: for a graph in which this layer's input is no longer the data (a GAN's
   * discriminator behind its generator). The copy goes through DL4J's JSON form, which carries every setting.
   */
  public ConvolutionLayer ordinary() {
    try {
      ObjectMapper mapper = NeuralNetConfiguration.mapper();
      ObjectNode json = mapper.valueToTree(this);
      json.put("@class", ConvolutionLayer.class.getName());
      return (ConvolutionLayer) mapper.treeToValue(json, org.deeplearning4j.nn.conf.layers.Layer.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot copy input convolution '" + getLayerName() + "' as an ordinary convolution", e);
    }
  }

  @Override
  public InputConvolution clone() {
    return (InputConvolution) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputConvolution && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof InputConvolution;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 1;
  }
}
