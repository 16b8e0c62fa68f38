package io.pretext.model.transformer;

import io.pretext.model.config.OptionCheck;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The transform of BERT's masked-LM head before the tied vocabulary projection (Devlin et al. 2019; HuggingFace's
 * {@code BertPredictionHeadTransform}): {@code [M, H] -> LayerNorm(GELU(x W + b)) -> [M, H]}, on the masked positions
 * only. No dropout, as in BERT. Parameters {@code W [H, H]}, {@code b}, {@code gamma}, {@code beta}.
 */
public final class MlmTransform extends TransformerLayer {
  private static final long serialVersionUID = 1L;

  static final String WEIGHT = "W";
  static final String BIAS = "b";
  static final String GAMMA = "gamma";
  static final String BETA = "beta";

  @JsonProperty
  private int hidden;

  private MlmTransform() {
  }

  /** @param hidden {@code H}, at least 1 */
  public MlmTransform(int hidden) {
    OptionCheck.require(hidden >= 1, "MlmTransform.hidden", hidden, "an integer >= 1");
    this.hidden = hidden;
  }

  public int hidden() {
    return hidden;
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    return List.of(ParamSpec.weight(WEIGHT, hidden, hidden), ParamSpec.bias(BIAS, hidden), ParamSpec.gain(GAMMA, hidden),
        ParamSpec.bias(BETA, hidden));
  }

  @Override
  protected MlmTransformLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new MlmTransformLayer(conf, dataType);
  }

  @Override
  protected boolean sameFields(TransformerLayer other) {
    return ((MlmTransform) other).hidden == hidden;
  }

  @Override
  protected int fieldsHash() {
    return Objects.hash(hidden);
  }
}
