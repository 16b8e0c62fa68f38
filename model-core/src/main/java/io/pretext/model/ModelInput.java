package io.pretext.model;

/**
 * What one example looks like to a network: an image ({@link InputShape}, {@code [C, H, W]}) or a token sequence
 * ({@link TokenInput}). Methods and encoders receive it when they build their graph; each accepts the kind it can
 * train on and refuses the others with a message naming both.
 */
public sealed interface ModelInput permits InputShape, TokenInput {

  /** The dataset kind whose records this input describes. */
  DatasetKind kind();

  /**
   * {@code input} as an image shape.
   *
   * @param who the encoder or method that needs images, for the message
   * @throws IllegalArgumentException if {@code input} is not an image
   */
  static InputShape image(ModelInput input, String who) {
    if (input instanceof InputShape shape) {
      return shape;
    }
    throw new IllegalArgumentException(who + " takes image input, not " + input.kind() + " (" + input + ")");
  }

  /**
   * {@code input} as a token sequence.
   *
   * @param who the encoder or method that needs tokens, for the message
   * @throws IllegalArgumentException if {@code input} is not text
   */
  static TokenInput tokens(ModelInput input, String who) {
    if (input instanceof TokenInput tokens) {
      return tokens;
    }
    throw new IllegalArgumentException(who + " takes text input, not " + input.kind() + " (" + input + ")");
  }
}
