package io.pretext.model.config;

/**
 * The one validation message every Pretext configuration uses, so a user always reads the option,
 * the value given and what is allowed: {@code invalid value for --shards: '0' (allowed: an integer 1..100000)}.
 */
public final class OptionCheck {
  private OptionCheck() {}

  /** Throws {@link IllegalArgumentException} with the standard message unless {@code ok}. */
  public static void require(boolean ok, String option, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("invalid value for " + option + ": '" + value + "' (allowed: " + allowed + ")");
    }
  }
}
