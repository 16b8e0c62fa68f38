package io.pretext.model.transformer;

import io.pretext.model.config.OptionCheck;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * BERT's embedding sum and normalisation (Devlin et al. 2019, Sec. 3): token embeddings {@code [N, T, H]} (from
 * {@link TokenLookup}) plus learned absolute position embeddings {@code P[0..T-1]}, then LayerNorm, then dropout.
 * There are no segment (token-type) embeddings: masked-LM pretraining here has no next-sentence task.
 *
 * <p>Parameters: {@code P [maxPositions, H]} (weight, truncated normal 0.02), {@code gamma}, {@code beta} (LayerNorm).
 * A minibatch longer than {@code maxPositions} is refused.
 */
public final class EmbeddingNorm extends TransformerLayer {
  private static final long serialVersionUID = 1L;

  /** Position embeddings {@code [maxPositions, H]}. */
  public static final String POSITIONS = "P";
  /** LayerNorm gain. */
  public static final String GAMMA = "gamma";
  /** LayerNorm shift. */
  public static final String BETA = "beta";

  @JsonProperty
  private int hidden;
  @JsonProperty
  private int maxPositions;
  @JsonProperty
  private double dropout;

  private EmbeddingNorm() {
  }

  /**
   * @param hidden       {@code H}, at least 1
   * @param maxPositions longest sequence, at least 1
   * @param dropout      dropout probability after the LayerNorm, in [0, 1)
   */
  public EmbeddingNorm(int hidden, int maxPositions, double dropout) {
    OptionCheck.require(hidden >= 1, "EmbeddingNorm.hidden", hidden, "an integer >= 1");
    OptionCheck.require(maxPositions >= 1, "EmbeddingNorm.maxPositions", maxPositions, "an integer >= 1");
    OptionCheck.require(dropout >= 0 && dropout < 1, "EmbeddingNorm.dropout", dropout, "a probability in [0, 1)");
    this.hidden = hidden;
    this.maxPositions = maxPositions;
    this.dropout = dropout;
  }

  public int hidden() {
    return hidden;
  }

  public int maxPositions() {
    return maxPositions;
  }

  public double dropout() {
    return dropout;
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    return List.of(ParamSpec.weight(POSITIONS, maxPositions, hidden), ParamSpec.gain(GAMMA, hidden), ParamSpec.bias(BETA, hidden));
  }

  @Override
  protected EmbeddingNormLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new EmbeddingNormLayer(conf, dataType);
  }

  @Override
  protected boolean sameFields(TransformerLayer other) {
    EmbeddingNorm o = (EmbeddingNorm) other;
    return o.hidden == hidden && o.maxPositions == maxPositions && Double.compare(o.dropout, dropout) == 0;
  }

  @Override
  protected int fieldsHash() {
    return Objects.hash(hidden, maxPositions, dropout);
  }
}
