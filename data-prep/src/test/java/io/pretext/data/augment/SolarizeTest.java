package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SolarizeTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.25, 0.5, 0.999, 1.0})
  void closedForm(double threshold) {
    FloatImage in = TestImages.random(3, 6, 6, 2);
    FloatImage out = new Solarize(threshold, 1.0).apply(in, new SplittableRandom(0));
    float[] d = in.data();
    float[] o = out.data();
    float t = (float) threshold;
    for (int i = 0; i < d.length; i++) {
      assertEquals(d[i] >= t ? 1f - d[i] : d[i], o[i], 0f);
    }
  }

  @Test
  void thresholdIsInclusive() {
    FloatImage in = FloatImage.of(1, 1, 3, new float[] {0.49f, 0.5f, 0.9f});
    float[] o = Solarize.solarize(in, 0.5f).data();
    assertEquals(0.49f, o[0]);
    assertEquals(0.5f, o[1]);
    assertEquals(1f - 0.9f, o[2]);
  }

  @Test
  void zeroProbabilityIsIdentity() {
    FloatImage in = TestImages.random(1, 3, 3, 1);
    assertSame(in, new Solarize(0.5, 0.0).apply(in, new SplittableRandom(1)));
  }

  @ParameterizedTest
  @CsvSource({"solarizeThreshold, 1.5, 0.2", "solarizeProb, 0.5, -0.2"})
  void invalidRejected(String name, double t, double p) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Solarize(t, p));
    assertTrue(e.getMessage().startsWith(name + " = "), e.getMessage());
  }
}
