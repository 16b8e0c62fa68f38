package io.pretext.model.encoder;

import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * An encoder (backbone) that can add itself to a DL4J computation graph: a CNN for images, a Transformer for text.
 *
 * <p>Input: what its {@link #kind()} of dataset holds, described by a {@link ModelInput} (NCHW images
 * {@code [N, C, H, W]} for {@link InputShape}; token ids for {@link io.pretext.model.TokenInput}). Output: a
 * representation {@code [N, representationDim()]} at the vertex named {@code prefix + }{@link #REPRESENTATION}.
 * Every vertex the encoder adds is named {@code prefix + localName}, so two encoders (e.g. an online and a target
 * network) can live in one graph under different prefixes.
 *
 * <p>Implementations are immutable and stateless; the weights live in the graph that is built.
 */
public interface EncoderSpec {

  /** Local name of the representation vertex; the full name is {@code prefix + REPRESENTATION}. */
  String REPRESENTATION = "representation";

  /** Registry name, e.g. {@code "small-cnn"}. */
  String name();

  /** Size of the representation vector. */
  int representationDim();

  /** The kind of dataset this encoder reads. */
  DatasetKind kind();

  /**
   * Adds the encoder's layers to {@code graph}.
   *
   * @param graph  builder to add to; its input types must be set by the caller (the layers infer {@code nIn})
   * @param prefix prefix of every vertex name the encoder adds ({@code ""} is allowed)
   * @param input  name of the vertex (or graph input) holding the images {@code [N, C, H, W]}
   * @param shape  shape of one example, of this encoder's {@link #kind()}
   * @return the representation vertex ({@code prefix + REPRESENTATION}) and its dimension
   * @throws IllegalArgumentException if {@code shape} is of another kind
   */
  EncoderOutput addTo(GraphBuilder graph, String prefix, String input, ModelInput shape);

  /**
   * The block a vertex of this encoder belongs to, by its local name: what {@code finetune --freeze-layers N} counts.
   * By default the name before the first underscore ({@code conv1} and {@code conv1_bn} are one block, a convolution with
   * its batch norm; {@code s1b1_conv1 .. s1b1_bn2} one residual block).
   */
  default String blockOf(String localName) {
    int cut = localName.indexOf('_');
    return cut < 0 ? localName : localName.substring(0, cut);
  }
}
