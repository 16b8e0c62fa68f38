package io.pretext.model.encoder;

import java.util.Objects;

/**
 * What an encoder added to a graph: the vertex whose activations are the representation, shape {@code [N, dim]}.
 *
 * @param representationVertex name of the representation vertex in the graph
 * @param representationDim    size of the representation, &gt;= 1
 */
public record EncoderOutput(String representationVertex, int representationDim) {

  public EncoderOutput {
    Objects.requireNonNull(representationVertex, "EncoderOutput.representationVertex is null");
    if (representationDim < 1) {
      throw new IllegalArgumentException("EncoderOutput.representationDim = " + representationDim
          + " is invalid: must be >= 1");
    }
  }
}
