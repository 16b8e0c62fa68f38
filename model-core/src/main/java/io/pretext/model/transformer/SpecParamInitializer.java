package io.pretext.model.transformer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The DL4J {@link ParamInitializer} of every {@link TransformerLayer}: lays the layer's {@link ParamSpec}s out in
 * order in its slice of the network's flat parameter (and gradient) vector, each a {@code c}-order view, and
 * initialises them by role: {@link ParamSpec.Role#WEIGHT} from the layer's weight initialisation (BERT's truncated
 * normal, see {@link TransformerLayer#bertInit()}), {@link ParamSpec.Role#BIAS} zeros, {@link ParamSpec.Role#GAIN}
 * ones.
 *
 * <p>The roles also answer DL4J's {@link #isWeightParam} and {@link #isBiasParam}, which {@code BaseLayer
 * .getRegularizationByParam} uses: weights get the network's weight regularisation (AdamW's decay), biases its bias
 * regularisation (Pretext sets none), and gains neither. So, as in BERT, LayerNorm parameters and biases are never
 * decayed while dense kernels and embeddings are.
 */
public final class SpecParamInitializer implements ParamInitializer {

  /** The one instance; it is stateless. */
  public static final SpecParamInitializer INSTANCE = new SpecParamInitializer();

  private SpecParamInitializer() {
  }

  private static List<ParamSpec> specs(Layer layer) {
    if (!(layer instanceof TransformerLayer t)) {
      throw new IllegalArgumentException("SpecParamInitializer serves TransformerLayer configurations, not "
          + (layer == null ? "null" : layer.getClass().getName()));
    }
    return t.paramSpecs();
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    long n = 0;
    for (ParamSpec p : specs(layer)) {
      n += p.length();
    }
    return n;
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return keys(layer, null);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return keys(layer, ParamSpec.Role.WEIGHT);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return keys(layer, ParamSpec.Role.BIAS);
  }

  private static List<String> keys(Layer layer, ParamSpec.Role role) {
    List<String> out = new ArrayList<>();
    for (ParamSpec p : specs(layer)) {
      if (role == null || p.role() == role) {
        out.add(p.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return weightKeys(layer).contains(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return biasKeys(layer).contains(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    TransformerLayer layer = (TransformerLayer) conf.getLayer();
    Map<String, INDArray> views = views(layer, paramsView);
    for (ParamSpec p : layer.paramSpecs()) {
      INDArray v = views.get(p.name());
      if (initializeParams) {
        switch (p.role()) {
          case WEIGHT -> {
            long fanIn = p.shape()[0];
            long fanOut = p.length() / fanIn;
            layer.getWeightInitFn().init(fanIn, fanOut, p.shape(), 'c', v);
          }
          case BIAS -> v.assign(0);
          case GAIN -> v.assign(1);
          default -> throw new IllegalStateException("unknown role " + p.role());
        }
      }
      conf.addVariable(p.name());
    }
    return Collections.synchronizedMap(views);
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return views((TransformerLayer) conf.getLayer(), gradientView);
  }

  /** Consecutive {@code c}-order views of {@code flat}, one per parameter, in declaration order. */
  private static Map<String, INDArray> views(TransformerLayer layer, INDArray flat) {
    long total = INSTANCE.numParams(layer);
    if (total == 0) {
      return new LinkedHashMap<>();
    }
    if (flat == null || flat.length() != total) {
      throw new IllegalStateException("layer " + layer.getLayerName() + ": expected a parameter view of length " + total
          + ", got " + (flat == null ? "none" : flat.length()));
    }
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> out = new LinkedHashMap<>();
    long offset = 0;
    for (ParamSpec p : layer.paramSpecs()) {
      INDArray slice = row.get(NDArrayIndex.interval(offset, offset + p.length()));
      out.put(p.name(), slice.reshape('c', p.shape()));
      offset += p.length();
    }
    return out;
  }
}
