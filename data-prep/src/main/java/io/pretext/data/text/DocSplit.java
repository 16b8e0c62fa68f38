package io.pretext.data.text;

import io.pretext.model.config.OptionCheck;
import java.util.Locale;

/** How plain text files become documents ({@code --doc-split}). */
public enum DocSplit {
  /** One document per line (the line break removed). */
  LINE,
  /** One document per paragraph: lines between blank lines, joined by line feeds. */
  PARAGRAPH,
  /** One document per file. */
  FILE;

  public static DocSplit parse(String value) {
    return OptionCheck.parseEnum(DocSplit.class, "--doc-split", value, "one of line, paragraph, file");
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
