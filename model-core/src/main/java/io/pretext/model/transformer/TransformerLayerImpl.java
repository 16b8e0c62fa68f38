package io.pretext.model.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of the runtime side of a {@link TransformerLayer}: DL4J's {@link BaseLayer} keeps the parameter and gradient
 * views; subclasses implement {@code activate} and {@code backpropGradient}.
 *
 * <p>Caching rule: a training-mode forward pass keeps what its backward pass needs in fields, allocated in the
 * {@code ACTIVATIONS} workspace, which {@code ComputationGraph} keeps open from the forward pass through backprop
 * ({@code WS_ALL_LAYERS_ACT}); {@link #clear()} drops them. An inference-mode pass caches nothing.
 */
public abstract class TransformerLayerImpl<C extends TransformerLayer> extends BaseLayer<C> {
  private static final long serialVersionUID = 1L;

  protected TransformerLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }

  /** The parameter {@code name} (a view of the network's parameters). */
  protected INDArray param(String name) {
    return params.get(name);
  }

  /** The gradient view of parameter {@code name}; backprop assigns into it. */
  protected INDArray grad(String name) {
    return gradientViews.get(name);
  }

  /** A {@link Gradient} holding every parameter's gradient view, in declaration order. */
  protected Gradient gradients() {
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (ParamSpec p : layerConf().paramSpecs()) {
      g.gradientForVariable().put(p.name(), gradientViews.get(p.name()));
    }
    return g;
  }

  /**
   * Copies a flat parameter vector (as {@link #params()} returns) into the parameters. DL4J's {@code BaseLayer} reads
   * each parameter from the vector in 'f' order, its own layers' layout; these layers keep theirs in 'c' order
   * ({@link SpecParamInitializer}), for which the vector is simply the parameters' memory.
   */
  @Override
  protected void setParams(INDArray params, char order) {
    if (params.length() != numParams()) {
      throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": " + params.length()
          + " parameters given, it has " + numParams());
    }
    if (numParams() > 0) {
      paramsFlattened.reshape(paramsFlattened.length()).assign(params.reshape(params.length()));
    }
  }

  /** Drops the arrays cached by the last training forward pass. */
  protected abstract void clearCache();

  @Override
  public void clear() {
    super.clear();
    clearCache();
  }
}
