package io.pretext.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ViewRecipeTest {

  @Test
  void simclrImageNetDefaults() {
    ViewRecipe r = ViewRecipe.simclr(224, 224, 3);
    assertEquals(0.08, r.cropScaleMin());
    assertEquals(1.0, r.cropScaleMax());
    assertEquals(0.75, r.cropRatioMin());
    assertEquals(4.0 / 3.0, r.cropRatioMax());
    assertEquals(0.5, r.flipProb());
    assertEquals(0.8, r.jitterProb());
    assertEquals(0.8, r.brightness(), 1e-12);
    assertEquals(0.8, r.contrast(), 1e-12);
    assertEquals(0.8, r.saturation(), 1e-12);
    assertEquals(0.2, r.hue(), 1e-12);
    assertEquals(0.2, r.grayscaleProb());
    assertEquals(0.5, r.blurProb());
    assertEquals(0.1, r.blurSigmaMin());
    assertEquals(2.0, r.blurSigmaMax());
    assertEquals(23, r.blurKernelSize());
    assertEquals(0.0, r.solarizeProb());
  }

  @Test
  void simclrGrayscaleDropsColourOnlyParameters() {
    ViewRecipe r = ViewRecipe.simclr(64, 64, 1);
    assertEquals(0.8, r.brightness(), 1e-12);
    assertEquals(0.0, r.saturation());
    assertEquals(0.0, r.hue());
    assertEquals(0.0, r.grayscaleProb());
  }

  @Test
  void simclrSmallMatchesTheFashionMnistReference() {
    ViewRecipe r = ViewRecipe.simclrSmall(28, 28, 1);
    assertEquals(0.2, r.cropScaleMin());
    assertEquals(1.0, r.cropScaleMax());
    assertEquals(0.5, r.flipProb());
    assertEquals(0.8, r.jitterProb());
    assertEquals(0.4, r.brightness(), 1e-12);
    assertEquals(0.4, r.contrast(), 1e-12);
    assertEquals(0.0, r.blurProb());
    ViewRecipe rgb = ViewRecipe.simclrSmall(32, 32, 3);
    assertEquals(0.4, rgb.saturation(), 1e-12);
    assertEquals(0.1, rgb.hue(), 1e-12);
    assertEquals(0.2, rgb.grayscaleProb());
  }

  @Test
  void withCropChangesOnlySizeScaleAndKernel() {
    ViewRecipe r = ViewRecipe.simclr(224, 224, 3);
    ViewRecipe s = r.withCrop(96, 96, 0.05, 0.14);
    assertEquals(96, s.outHeight());
    assertEquals(0.05, s.cropScaleMin());
    assertEquals(9, s.blurKernelSize());
    assertEquals(r.toBuilder().outSize(96, 96).cropScale(0.05, 0.14).build(), s);
    assertEquals(r.brightness(), s.brightness());
  }

  @Test
  void transformPipelineOrder() {
    Compose c = (Compose) ViewRecipe.simclr(32, 32, 3).toTransform();
    List<ViewTransform> steps = c.steps();
    assertEquals(6, steps.size());
    assertTrue(steps.get(0) instanceof RandomResizedCrop);
    assertTrue(steps.get(1) instanceof HorizontalFlip);
    assertTrue(steps.get(2) instanceof RandomApply ra && ra.inner() instanceof ColorJitter && ra.p() == 0.8);
    assertTrue(steps.get(3) instanceof RandomGrayscale);
    assertTrue(steps.get(4) instanceof RandomApply rb && rb.inner() instanceof GaussianBlur && rb.p() == 0.5);
    assertTrue(steps.get(5) instanceof Solarize);
  }

  @Test
  void serializableRoundTrip() throws Exception {
    ViewRecipe r = ViewRecipe.simclrSmall(28, 28, 1);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(r);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
      assertEquals(r, in.readObject());
    }
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("outHeight", "0", b -> b.outSize(0, 28)),
        bad("outWidth", "-3", b -> b.outSize(28, -3)),
        bad("cropScaleMin", "0.0", b -> b.cropScale(0.0, 1.0)),
        bad("cropScaleMax", "1.2", b -> b.cropScale(0.2, 1.2)),
        bad("cropScaleMin", "0.9", b -> b.cropScale(0.9, 0.5)),
        bad("cropRatioMin", "0.0", b -> b.cropRatio(0.0, 1.0)),
        bad("cropRatioMin", "2.0", b -> b.cropRatio(2.0, 1.0)),
        bad("flipProb", "1.5", b -> b.flipProb(1.5)),
        bad("jitterProb", "-0.1", b -> b.jitterProb(-0.1)),
        bad("brightness", "-1.0", b -> b.brightness(-1)),
        bad("contrast", "NaN", b -> b.contrast(Double.NaN)),
        bad("saturation", "-0.5", b -> b.saturation(-0.5)),
        bad("hue", "0.7", b -> b.hue(0.7)),
        bad("grayscaleProb", "2.0", b -> b.grayscaleProb(2)),
        bad("blurProb", "-1.0", b -> b.blurProb(-1)),
        bad("blurSigmaMin", "0.0", b -> b.blurSigma(0, 2)),
        bad("blurSigmaMin", "3.0", b -> b.blurSigma(3, 2)),
        bad("blurKernelFraction", "1.5", b -> b.blurKernelFraction(1.5)),
        bad("solarizeProb", "1.1", b -> b.solarize(1.1, 0.5)),
        bad("solarizeThreshold", "-0.1", b -> b.solarize(0.2, -0.1)));
  }

  private static Arguments bad(String name, String value, UnaryOperator<ViewRecipe.Builder> edit) {
    return Arguments.of(name, value, edit);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("invalid")
  void invalidParameterRejectedWithNameValueAndRange(
      String name, String value, UnaryOperator<ViewRecipe.Builder> edit) {
    ViewRecipe.Builder b = ViewRecipe.builder(28, 28, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> edit.apply(b).build());
    assertTrue(e.getMessage().startsWith(name + " = " + value), e.getMessage());
    assertTrue(e.getMessage().contains("range") || e.getMessage().contains("must be <="), e.getMessage());
  }

  @Test
  void invalidChannelsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViewRecipe.simclr(28, 28, 2));
    assertEquals("channels = 2 is not allowed; allowed: 1 or 3", e.getMessage());
  }

  @Test
  void colourParametersRejectedForGrayscale() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ViewRecipe.builder(28, 28, 1).saturation(0.4).build());
    assertTrue(e.getMessage().startsWith("saturation = 0.4 is not allowed for channels = 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ViewRecipe.builder(28, 28, 1).grayscaleProb(0.2).build());
    assertTrue(e.getMessage().startsWith("grayscaleProb = 0.2"), e.getMessage());
  }

  @Test
  void colorJitterStrengthValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ViewRecipe.builder(28, 28, 3).colorJitterStrength(3));
    assertTrue(e.getMessage().startsWith("colorJitterStrength = 3.0"), e.getMessage());
  }
}
