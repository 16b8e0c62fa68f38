package io.pretext.model.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Comparisons of arrays computed two ways (a layer against its reference), and running one way or the other. */
public final class ArrayAssertions {

  private ArrayAssertions() {
  }

  /**
   * Same shape and {@code max |e - a| <= relTol * max(max |e|, 1e-3)}: float32 summation-order differences, scaled to
   * the tensor (the floor keeps all-but-zero tensors from demanding exact zeros).
   */
  public static void assertClose(String what, INDArray expected, INDArray actual, double relTol) {
    assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
    double scale = Math.max(Transforms.abs(expected).maxNumber().doubleValue(), 1e-3);
    double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
    assertTrue(diff <= relTol * scale, what + ": max |diff| = " + diff + " > " + relTol + " * " + scale);
  }

  /** Runs {@code action} with the system property {@code name} set to {@code value}, then restores it. */
  public static <T> T withProperty(String name, String value, Supplier<T> action) {
    String old = System.getProperty(name);
    System.setProperty(name, value);
    try {
      return action.get();
    } finally {
      if (old == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, old);
      }
    }
  }
}
