package io.pretext.model.transformer;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/**
 * Base of Pretext's hand-written Transformer layer configurations (DL4J 1.0.0-M2.1 has no LayerNorm, no GELU
 * feed-forward block and no attention with biases over {@code [N, T, H]} activations).
 *
 * <p>A subclass declares its parameters as {@link ParamSpec}s, which {@link SpecParamInitializer} lays out and
 * initialises; the forward and backward passes live in the matching {@code *Layer} class, written with ND4J ops (no
 * SameDiff graph). Sizes are explicit fields, so the configuration needs no DL4J input-type inference and round-trips
 * through DL4J's JSON (subclasses mark their fields {@code @JsonProperty} and keep a no-argument constructor).
 *
 * <p>The updater and weight regularisation come from the network's global configuration like any DL4J layer; weight
 * decay applies only to {@link ParamSpec.Role#WEIGHT} parameters.
 */
public abstract class TransformerLayer extends BaseLayer {
  private static final long serialVersionUID = 1L;

  /** Standard deviation of BERT's truncated-normal initialisation ({@code initializer_range}). */
  public static final double INIT_STD = 0.02;
  /** BERT's LayerNorm epsilon ({@code layer_norm_eps}). */
  public static final double LAYER_NORM_EPS = 1e-12;

  protected TransformerLayer() {
    setWeightInitFn(bertInit());
  }

  /** BERT's weight initialisation: normal with standard deviation {@value #INIT_STD}, truncated at two deviations. */
  public static IWeightInit bertInit() {
    return new WeightInitDistribution(new TruncatedNormalDistribution(0, INIT_STD));
  }

  /** The layer's parameters in the order they are flattened. */
  public abstract List<ParamSpec> paramSpecs();

  /** The runtime layer of this configuration, before DL4J's wiring ({@link #instantiate}). */
  protected abstract TransformerLayerImpl<?> createLayer(NeuralNetConfiguration conf, DataType dataType);

  @Override
  public final Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray paramsView, boolean initializeParams, DataType dataType) {
    TransformerLayerImpl<?> layer = createLayer(conf, dataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  @Override
  public ParamInitializer initializer() {
    return SpecParamInitializer.INSTANCE;
  }

  /** Sizes are explicit: nothing to infer. */
  @Override
  public void setNIn(InputType inputType, boolean override) {
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    long params = initializer().numParams(this);
    return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
        .standardMemory(params, getIUpdater() == null ? 0 : getIUpdater().stateSize(params))
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }

  /** Base equality plus the subclass's own fields, which it compares in {@link #sameFields}. */
  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && super.equals(o) && sameFields((TransformerLayer) o);
  }

  @Override
  public final int hashCode() {
    return 31 * super.hashCode() + fieldsHash();
  }

  /** Whether {@code other} (of this class) has the same subclass fields. */
  protected abstract boolean sameFields(TransformerLayer other);

  /** Hash of the subclass fields. */
  protected abstract int fieldsHash();
}
