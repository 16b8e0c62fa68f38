package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-place path that {@link Compose} uses must give exactly what {@code apply} gives. */
class InPlaceTransformTest {

  static Stream<Arguments> transforms() {
    return Stream.of(
        Arguments.of("flip", new HorizontalFlip(0.5), 3),
        Arguments.of("jitter rgb", ColorJitter.simclr(1.0), 3),
        Arguments.of("jitter gray", new ColorJitter(0.8, 0.8, 0, 0), 1),
        Arguments.of("grayscale", new RandomGrayscale(0.5), 3),
        Arguments.of("blur", new GaussianBlur(9, 0.1, 2.0), 3),
        Arguments.of("solarize", new Solarize(0.5, 0.5), 1),
        Arguments.of("random apply", new RandomApply(ColorJitter.simclr(0.5), 0.5), 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transforms")
  void applyOwnedEqualsApplyAndApplyLeavesInputAlone(String name, InPlaceTransform t, int channels) {
    for (long seed = 0; seed < 40; seed++) {
      FloatImage in = TestImages.random(channels, 13, 17, seed);
      float[] before = in.data();
      FloatImage expected = t.apply(in, new SplittableRandom(seed));
      assertArrayEquals(before, in.data(), "apply modified its input");
      FloatImage owned = FloatImage.trusted(channels, 13, 17, in.data());
      FloatImage actual = t.applyOwned(owned, new SplittableRandom(seed));
      assertArrayEquals(expected.data(), actual.data(), name + " seed " + seed);
    }
  }
}
