package io.pretext.model;

import io.pretext.model.config.OptionCheck;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a prepared dataset holds, as its {@code manifest.json} states in {@code kind}: the record schema readers use,
 * and what an SSL method must declare it accepts. A dataset of one kind is refused by methods of another before any
 * Spark work starts.
 */
public enum DatasetKind {
  /** Decoded images: id, source, label, channels, height, width, uint8 CHW pixels. */
  IMAGE,
  /** Token-id sequences of a WordPiece vocabulary written next to the shards. */
  TEXT;

  /** The value in {@code manifest.json}: {@code image} or {@code text}. */
  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind named {@code value} in a manifest.
   *
   * @throws IllegalArgumentException naming the value and the known kinds
   */
  public static DatasetKind fromManifest(String value) {
    return OptionCheck.parseEnum(DatasetKind.class, "manifest kind", value, known());
  }

  /** {@code image, text}. */
  public static String known() {
    return Arrays.stream(values()).map(DatasetKind::manifestName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return manifestName();
  }
}
