package io.pretext.data.text;

import io.pretext.model.config.OptionCheck;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The Unicode normalisation applied to every document before anything else ({@code --normalize}): NFC (the default)
 * composes characters without changing their meaning; NFKC also folds compatibility variants (full-width letters,
 * ligatures, superscripts) into their plain forms, which changes the text.
 */
public enum UnicodeForm {
  NFC(Normalizer.Form.NFC),
  NFKC(Normalizer.Form.NFKC);

  private final Normalizer.Form form;

  UnicodeForm(Normalizer.Form form) {
    this.form = form;
  }

  public Normalizer.Form form() {
    return form;
  }

  public static UnicodeForm parse(String value) {
    return OptionCheck.parseEnum(UnicodeForm.class, "--normalize", value, "nfc or nfkc");
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
