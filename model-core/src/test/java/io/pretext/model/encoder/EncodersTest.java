package io.pretext.model.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodersTest {

  @ParameterizedTest
  @CsvSource({"small-cnn, 128", "resnet18-small, 512", "resnet50, 2048"})
  void knownNames(String name, int dim) {
    EncoderSpec e = Encoders.byName(name);
    assertEquals(name, e.name());
    assertEquals(dim, e.representationDim());
  }

  @Test
  void unknownNameListsKnownNames() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Encoders.byName("vgg"));
    assertTrue(ex.getMessage().contains("'vgg'"), ex.getMessage());
    for (String known : List.of("small-cnn", "resnet18-small", "resnet50")) {
      assertTrue(ex.getMessage().contains(known), ex.getMessage());
    }
  }

  @Test
  void architectureValidation() {
    assertThrows(IllegalArgumentException.class, () -> new ResNetArchitecture(ResNetArchitecture.Block.BASIC,
        List.of(2, 2), List.of(64), ResNetArchitecture.Stem.SMALL_3X3));
    assertThrows(IllegalArgumentException.class, () -> new ResNetArchitecture(ResNetArchitecture.Block.BASIC,
        List.of(0), List.of(64), ResNetArchitecture.Stem.SMALL_3X3));
  }
}
