package io.pretext.jobs.run;

import io.pretext.data.text.UnicodeForm;
import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;

/**
 * The network's input as {@code run.json} records it: the dataset kind and its shape, images
 * ({@code channels, height, width}) or text ({@code vocabSize, maxLength}, {@code lowercase}: whether its tokenizer
 * lower-cases, and {@code normalization}: the Unicode form of its text, {@code nfc} or {@code nfkc}; both of which
 * {@code fill-mask} must repeat and {@code evaluate} checks); fields of the other kind are null. Runs written before
 * {@code normalization} was recorded read as NFC, {@code prepare-text}'s default.
 */
public record InputInfo(String kind, Integer channels, Integer height, Integer width, Integer vocabSize, Integer maxLength,
    Boolean lowercase, String normalization) {

  /** An image input's description; a text input without its tokenizer's case setting and Unicode form. */
  public static InputInfo of(ModelInput input) {
    if (input instanceof InputShape s) {
      return new InputInfo(DatasetKind.IMAGE.manifestName(), s.channels(), s.height(), s.width(), null, null, null, null);
    }
    TokenInput t = (TokenInput) input;
    return new InputInfo(DatasetKind.TEXT.manifestName(), null, null, null, t.vocabSize(), t.maxLength(), null, null);
  }

  /** A text input with the case setting and Unicode form its dataset was prepared with ({@code nfc}, {@code nfkc}). */
  public static InputInfo text(TokenInput t, boolean lowercase, String normalization) {
    return new InputInfo(DatasetKind.TEXT.manifestName(), null, null, null, t.vocabSize(), t.maxLength(), lowercase,
        normalization);
  }

  /**
   * The Unicode form the text was prepared with: the recorded one, NFC for runs written before it was recorded.
   *
   * @throws RunException if run.json records a form Pretext does not know (a damaged or foreign run.json)
   */
  public UnicodeForm unicodeForm() {
    if (normalization == null) {
      return UnicodeForm.NFC;
    }
    try {
      return UnicodeForm.parse(normalization);
    } catch (IllegalArgumentException e) {
      throw new RunException("run.json records an unknown text normalization '" + normalization + "' (nfc or nfkc)", e);
    }
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
