package io.pretext.model.transformer;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The per-vocabulary-entry parameters a BERT model shares between its input and its output (Devlin et al. 2019, as
 * Press and Wolf 2017 tie them): the token embedding matrix {@code W [V, H]}, used both to embed input tokens and as the
 * masked-LM vocabulary projection, and the projection's output bias {@code b [V]}.
 *
 * <p>How the tie works in a DL4J graph: this layer's activation is its own parameters, {@code [V, H + 1]} (row
 * {@code v} is {@code [W_v | b_v]}), and it feeds two vertices: {@link TokenLookup} (which embeds the input ids with
 * {@code W}) and the masked-LM head's tied projection (which scores vocabulary entries with {@code W} and {@code b}).
 * {@code ComputationGraph} sums the gradients its consumers send back to a vertex with several outputs
 * ({@code calcBackpropGradients}: {@code currentEps.addi(...)}) before that vertex's own backward pass, which runs after
 * all its consumers' in reverse topological order; this layer then makes that sum its parameter gradient. So the
 * embedding matrix gets exactly the sum of both uses' gradients, with no ordering assumption of its own. The graph
 * input it is attached to (the token ids) is only a DL4J formality: it is ignored and receives no gradient.
 *
 * <p>Parameters: {@code W} (weight: truncated normal 0.02, weight decay as in BERT) and {@code b} (bias: zeros).
 */
public final class VocabularyTable extends TransformerLayer {
  private static final long serialVersionUID = 1L;

  /** Embedding matrix {@code [V, H]}. */
  public static final String WEIGHT = "W";
  /** Output bias {@code [1, V]}. */
  public static final String BIAS = "b";

  @JsonProperty
  private int vocabSize;
  @JsonProperty
  private int hidden;

  private VocabularyTable() {
  }

  /**
   * @param vocabSize {@code V}, at least 1
   * @param hidden    {@code H}, at least 1
   */
  public VocabularyTable(int vocabSize, int hidden) {
    if (vocabSize < 1 || hidden < 1) {
      throw new IllegalArgumentException("VocabularyTable sizes (vocabSize " + vocabSize + ", hidden " + hidden + ") must be >= 1");
    }
    this.vocabSize = vocabSize;
    this.hidden = hidden;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int hidden() {
    return hidden;
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    return List.of(ParamSpec.weight(WEIGHT, vocabSize, hidden), ParamSpec.bias(BIAS, vocabSize));
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(hidden + 1L);
  }

  @Override
  protected VocabularyTableLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new VocabularyTableLayer(conf, dataType);
  }

  @Override
  protected boolean sameFields(TransformerLayer other) {
    VocabularyTable o = (VocabularyTable) other;
    return o.vocabSize == vocabSize && o.hidden == hidden;
  }

  @Override
  protected int fieldsHash() {
    return Objects.hash(vocabSize, hidden);
  }
}
