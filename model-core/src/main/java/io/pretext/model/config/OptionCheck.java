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
      throw invalid(option, value, allowed);
    }
  }

  /**
   * Parses an enum option case-insensitively by constant name (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException with the standard message if {@code value} is null or names no constant
   */
  public static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String value, String allowed) {
    if (value != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value.trim())) {
          return e;
        }
      }
    }
    throw invalid(option, value, allowed);
  }

  /** The standard message as an exception, for callers that decide validity themselves. */
  public static IllegalArgumentException invalid(String option, Object value, String allowed) {
    return new IllegalArgumentException("invalid value for " + option + ": '" + value + "' (allowed: " + allowed + ")");
  }
}
