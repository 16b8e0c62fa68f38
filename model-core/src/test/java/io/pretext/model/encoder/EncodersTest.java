package io.pretext.model.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.DatasetKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodersTest {

  @ParameterizedTest
  @CsvSource({"small-cnn, 128", "resnet20, 64", "resnet20-wide, 256", "resnet18-small, 512", "resnet50, 2048", "bert-tiny, 128", "bert-mini, 256"})
  void knownNames(String name, int dim) {
    EncoderSpec e = Encoders.byName(name);
    assertEquals(name, e.name());
    assertEquals(dim, e.representationDim());
  }

  @Test
  void unknownNameListsKnownNames() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Encoders.byName("vgg"));
    assertTrue(ex.getMessage().contains("'vgg'"), ex.getMessage());
    for (String known : List.of("small-cnn", "resnet20", "resnet20-wide", "resnet18-small", "resnet50", "bert-tiny", "bert-mini", "bert:layers=")) {
      assertTrue(ex.getMessage().contains(known), ex.getMessage());
    }
  }

  @Test
  void bertSizes() {
    assertEquals(new Bert(Bert.TINY, 2, 128, 2, 512), Encoders.byName("bert-tiny"));
    assertEquals(new Bert(Bert.MINI, 4, 256, 4, 1024), Encoders.byName("bert-mini"));
    Bert b = (Bert) Encoders.byName("bert:ff=1024, heads=4,layers=4,hidden=256");
    assertEquals(List.of(4, 256, 4, 1024), List.of(b.layers(), b.hidden(), b.heads(), b.feedForward()));
    assertEquals("bert:layers=4,hidden=256,heads=4,ff=1024", b.name());
    assertEquals(DatasetKind.TEXT, b.kind());
    assertEquals(256, b.representationDim());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bert:layers=4,hidden=256,heads=4; all four keys",
      "bert:layers=4,hidden=250,heads=4,ff=8; divisible by heads",
      "bert:layers=4,hidden=256,heads=4,ff=x; an integer",
      "bert:layers=4,hidden=256,heads=4,ff=8,depth=2; --encoder key 'depth'",
      "bert:layers=0,hidden=256,heads=4,ff=8; bert layers",
      "bert:layers=2,layers=2,hidden=256,heads=4; repeated"})
  void badBertSpecsAreExplained(String spec, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encoders.byName(spec));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void bertRefusesImages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderGraphs.encoderOnly(Bert.tiny(),
        io.pretext.model.InputShape.greyscale(28, 28)));
    assertTrue(e.getMessage().contains("bert-tiny") && e.getMessage().contains("takes text input"), e.getMessage());
  }

  @Test
  void architectureValidation() {
    assertThrows(IllegalArgumentException.class, () -> new ResNetArchitecture(ResNetArchitecture.Block.BASIC,
        List.of(2, 2), List.of(64), ResNetArchitecture.Stem.SMALL_3X3));
    assertThrows(IllegalArgumentException.class, () -> new ResNetArchitecture(ResNetArchitecture.Block.BASIC,
        List.of(0), List.of(64), ResNetArchitecture.Stem.SMALL_3X3));
  }
}
