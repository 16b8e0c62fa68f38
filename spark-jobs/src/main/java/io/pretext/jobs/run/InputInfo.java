package io.pretext.jobs.run;

import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;

/**
 * The network's input as {@code run.json} records it: the dataset kind and its shape, images
 * ({@code channels, height, width}) or text ({@code vocabSize, maxLength}); fields of the other kind are null.
 */
public record InputInfo(String kind, Integer channels, Integer height, Integer width, Integer vocabSize, Integer maxLength) {

  public static InputInfo of(ModelInput input) {
    if (input instanceof InputShape s) {
      return new InputInfo(DatasetKind.IMAGE.manifestName(), s.channels(), s.height(), s.width(), null, null);
    }
    TokenInput t = (TokenInput) input;
    return new InputInfo(DatasetKind.TEXT.manifestName(), null, null, null, t.vocabSize(), t.maxLength());
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
