package io.pretext.model.transformer;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The mean of a sequence's token vectors over its real tokens: {@code [N, T, H]} with feature mask {@code [N, T]} to
 * {@code [N, H]}, {@code y_n = sum_t m[n, t] x[n, t] / sum_t m[n, t]} (without a mask, the mean over all {@code T}).
 * The sentence representation of a text encoder (as Sentence-BERT pools, Reimers and Gurevych 2019). No parameters;
 * the output carries no mask. DL4J's {@code GlobalPoolingLayer} expects time in the last dimension ({@code [N, H, T]}),
 * hence this layer for the {@code [N, T, H]} layout Transformer layers use.
 */
public final class MaskedMeanPooling extends TransformerLayer {
  private static final long serialVersionUID = 1L;

  public MaskedMeanPooling() {
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    return List.of();
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType instanceof InputType.InputTypeRecurrent r ? InputType.feedForward(r.getSize()) : inputType;
  }

  @Override
  protected MaskedMeanPoolingLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new MaskedMeanPoolingLayer(conf, dataType);
  }

  @Override
  protected boolean sameFields(TransformerLayer other) {
    return true;
  }

  @Override
  protected int fieldsHash() {
    return 0;
  }
}
