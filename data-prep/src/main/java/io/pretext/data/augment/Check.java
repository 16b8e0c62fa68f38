package io.pretext.data.augment;

/** Argument checks whose messages name the parameter, the value and the allowed range. */
final class Check {
  private Check() {}

  static void probability(String name, double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(name + " = " + p + " is outside the allowed range [0, 1]");
    }
  }

  static void range(String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(
          name + " = " + v + " is outside the allowed range [" + lo + ", " + hi + "]");
    }
  }

  /** v in (0, 1]. */
  static void fraction(String name, double v) {
    if (!(v > 0.0 && v <= 1.0)) {
      throw new IllegalArgumentException(name + " = " + v + " is outside the allowed range (0, 1]");
    }
  }

  /** v in [0, inf). */
  static void nonNegative(String name, double v) {
    if (!(v >= 0.0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " = " + v + " is outside the allowed range [0, inf)");
    }
  }

  static void positive(String name, double v) {
    if (!(v > 0.0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " = " + v + " is outside the allowed range (0, inf)");
    }
  }

  static void atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " = " + v + " is outside the allowed range [" + min + ", inf)");
    }
  }

  static void ordered(String loName, double lo, String hiName, double hi) {
    if (!(lo <= hi)) {
      throw new IllegalArgumentException(
          loName + " = " + lo + " must be <= " + hiName + " = " + hi);
    }
  }
}
