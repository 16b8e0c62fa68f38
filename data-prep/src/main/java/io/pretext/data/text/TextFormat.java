package io.pretext.data.text;

import io.pretext.model.config.OptionCheck;
import java.util.Locale;

/** What {@code prepare-text} reads ({@code --format}). */
public enum TextFormat {
  /** Guess from the names: {@code *.jsonl*} is JSONL, {@code *.parquet} Parquet, anything else plain text. */
  AUTO,
  /** Plain UTF-8 text, split into documents by {@link DocSplit}. */
  TEXT,
  /** JSON Lines: one JSON object per line, the document in a string field. */
  JSONL,
  /** Parquet with a string (or binary UTF-8) column. */
  PARQUET;

  public static TextFormat parse(String value) {
    return OptionCheck.parseEnum(TextFormat.class, "--format", value, "one of auto, text, jsonl, parquet");
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
