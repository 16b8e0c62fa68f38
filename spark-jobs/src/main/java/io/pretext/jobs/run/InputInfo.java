package io.pretext.jobs.run;

import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;

/**
 * The network's input as {@code run.json} records it: the dataset kind and its shape, images
 * ({@code channels, height, width}) or text ({@code vocabSize, maxLength}, and {@code lowercase}: whether its tokenizer
 * lower-cases, which {@code fill-mask} must repeat); fields of the other kind are null.
 */
public record InputInfo(String kind, Integer channels, Integer height, Integer width, Integer vocabSize, Integer maxLength,
    Boolean lowercase) {

  /** An image input's description; a text input without its tokenizer's case setting. */
  public static InputInfo of(ModelInput input) {
    if (input instanceof InputShape s) {
      return new InputInfo(DatasetKind.IMAGE.manifestName(), s.channels(), s.height(), s.width(), null, null, null);
    }
    TokenInput t = (TokenInput) input;
    return new InputInfo(DatasetKind.TEXT.manifestName(), null, null, null, t.vocabSize(), t.maxLength(), null);
  }

  /** A text input with the case setting its tokenizer uses (the dataset's). */
  public static InputInfo text(TokenInput t, boolean lowercase) {
    return new InputInfo(DatasetKind.TEXT.manifestName(), null, null, null, t.vocabSize(), t.maxLength(), lowercase);
  }

  /**
   * The input this describes.
   *
   * @throws RunException if the fields of its kind are missing (a damaged or foreign run.json)
   */
  public ModelInput toModelInput() {
    try {
      return switch (DatasetKind.fromManifest(kind)) {
        case IMAGE -> new InputShape(channels, height, width);
        case TEXT -> new TokenInput(vocabSize, maxLength);
      };
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new RunException("run.json has an invalid input description " + this + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return DatasetKind.IMAGE.manifestName().equals(kind) ? kind + " " + channels + "x" + height + "x" + width
        : kind + " vocabulary " + vocabSize + ", length " + maxLength;
  }
}
