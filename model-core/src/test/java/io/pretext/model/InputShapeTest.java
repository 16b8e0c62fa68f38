package io.pretext.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.optim.OptimizerConfig;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class InputShapeTest {

  @Test
  void nchwBatchShapeAndInputType() {
    InputShape s = InputShape.rgb(32, 28);
    assertArrayEquals(new long[] {5, 3, 32, 28}, s.batchShape(5));
    InputType.InputTypeConvolutional t = (InputType.InputTypeConvolutional) s.toInputType();
    assertEquals(3, t.getChannels());
    assertEquals(32, t.getHeight());
    assertEquals(28, t.getWidth());
    assertEquals(new InputShape(1, 28, 28), InputShape.greyscale(28, 28));
  }

  @ParameterizedTest
  @CsvSource({"0, 28, 28, channels = 0", "1, -1, 28, height = -1", "1, 28, 0, width = 0"})
  void rejectsNonPositiveDimensions(int c, int h, int w, String mention) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InputShape(c, h, w));
    assertTrue(e.getMessage().contains(mention), e.getMessage());
  }

  @Test
  void graphSettingsRejectsNonFloatingDataTypes() {
    OptimizerConfig opt = OptimizerConfig.adam(1e-3, 0, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GraphSettings(1, DataType.INT, opt));
    assertTrue(e.getMessage().contains("INT"), e.getMessage());
    assertEquals(DataType.DOUBLE, GraphSettings.of(1, opt).withDataType(DataType.DOUBLE).dataType());
  }
}
