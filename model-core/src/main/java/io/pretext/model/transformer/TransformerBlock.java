package io.pretext.model.transformer;

import io.pretext.model.config.OptionCheck;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One post-LayerNorm Transformer encoder block as in BERT (Vaswani et al. 2017; Devlin et al. 2019):
 * <pre>
 *   a  = Dropout(MultiHeadSelfAttention(x) Wo + bo)          heads h, head size d = H / h, scores / sqrt(d),
 *                                                            padded keys masked, dropout on the attention weights
 *   h1 = LayerNorm(x + a)
 *   f  = Dropout(GELU(h1 W1 + b1) W2 + b2)                   feed-forward width F
 *   y  = LayerNorm(h1 + f)
 * </pre>
 * Input and output {@code [N, T, H]} with the DL4J feature mask {@code [N, T]} (1 = token, 0 = padding). Every
 * position-wise step runs on the real tokens only, packed to {@code [R, H]} ({@link SequenceLayout}); attention runs
 * on the padded {@code [N, h, T, T]} scores with padded keys at {@code -1e9}. Outputs at padded positions are 0.
 *
 * <p>Parameters (BERT's, with query, key and value fused): {@code Wqkv [H, 3H]} (columns: query heads, key heads,
 * value heads, each head's {@code d} columns together), {@code bqkv}, {@code Wo [H, H]}, {@code bo}, {@code gamma1},
 * {@code beta1} (first LayerNorm), {@code W1 [H, F]}, {@code b1}, {@code W2 [F, H]}, {@code b2}, {@code gamma2},
 * {@code beta2} (second LayerNorm).
 * Forward and backward are hand-written ND4J ops (see {@code TransformerBlockLayer}).
 */
public final class TransformerBlock extends TransformerLayer {
  private static final long serialVersionUID = 1L;

  static final String WQKV = "Wqkv";
  static final String BQKV = "bqkv";
  static final String WO = "Wo";
  static final String BO = "bo";
  static final String LN1_GAMMA = "gamma1";
  static final String LN1_BETA = "beta1";
  static final String W1 = "W1";
  static final String B1 = "b1";
  static final String W2 = "W2";
  static final String B2 = "b2";
  static final String LN2_GAMMA = "gamma2";
  static final String LN2_BETA = "beta2";

  @JsonProperty
  private int hidden;
  @JsonProperty
  private int heads;
  @JsonProperty
  private int feedForward;
  @JsonProperty
  private double dropout;
  @JsonProperty
  private double attentionDropout;

  private TransformerBlock() {
  }

  /**
   * @param hidden           {@code H}, a multiple of {@code heads}
   * @param heads            attention heads, at least 1
   * @param feedForward      feed-forward width {@code F}, at least 1
   * @param dropout          dropout after the attention output and the feed-forward output, in [0, 1)
   * @param attentionDropout dropout on the attention weights, in [0, 1)
   */
  public TransformerBlock(int hidden, int heads, int feedForward, double dropout, double attentionDropout) {
    OptionCheck.require(heads >= 1, "TransformerBlock.heads", heads, "an integer >= 1");
    OptionCheck.require(hidden >= 1 && hidden % heads == 0, "TransformerBlock.hidden", hidden,
        "a positive multiple of the head count " + heads);
    OptionCheck.require(feedForward >= 1, "TransformerBlock.feedForward", feedForward, "an integer >= 1");
    OptionCheck.require(dropout >= 0 && dropout < 1, "TransformerBlock.dropout", dropout, "a probability in [0, 1)");
    OptionCheck.require(attentionDropout >= 0 && attentionDropout < 1, "TransformerBlock.attentionDropout", attentionDropout,
        "a probability in [0, 1)");
    this.hidden = hidden;
    this.heads = heads;
    this.feedForward = feedForward;
    this.dropout = dropout;
    this.attentionDropout = attentionDropout;
  }

  public int hidden() {
    return hidden;
  }

  public int heads() {
    return heads;
  }

  public int feedForward() {
    return feedForward;
  }

  public double dropout() {
    return dropout;
  }

  public double attentionDropout() {
    return attentionDropout;
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    return List.of(
        ParamSpec.weight(WQKV, hidden, 3L * hidden), ParamSpec.bias(BQKV, 3L * hidden),
        ParamSpec.weight(WO, hidden, hidden), ParamSpec.bias(BO, hidden),
        ParamSpec.gain(LN1_GAMMA, hidden), ParamSpec.bias(LN1_BETA, hidden),
        ParamSpec.weight(W1, hidden, feedForward), ParamSpec.bias(B1, feedForward),
        ParamSpec.weight(W2, feedForward, hidden), ParamSpec.bias(B2, hidden),
        ParamSpec.gain(LN2_GAMMA, hidden), ParamSpec.bias(LN2_BETA, hidden));
  }

  @Override
  protected TransformerBlockLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new TransformerBlockLayer(conf, dataType);
  }

  @Override
  protected boolean sameFields(TransformerLayer other) {
    TransformerBlock o = (TransformerBlock) other;
    return o.hidden == hidden && o.heads == heads && o.feedForward == feedForward && Double.compare(o.dropout, dropout) == 0
        && Double.compare(o.attentionDropout, attentionDropout) == 0;
  }

  @Override
  protected int fieldsHash() {
    return Objects.hash(hidden, heads, feedForward, dropout, attentionDropout);
  }
}
