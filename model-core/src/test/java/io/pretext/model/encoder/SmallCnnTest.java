package io.pretext.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.model.InputShape;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SmallCnnTest {

  static Stream<Arguments> shapes() {
    return Stream.of(Arguments.of(1, 28, 28, 7), Arguments.of(3, 32, 32, 8), Arguments.of(3, 30, 30, 8));
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @MethodSource("shapes")
  void representationAndFeatureMapShapes(int c, int h, int w, int finalSize) {
    InputShape shape = new InputShape(c, h, w);
    ComputationGraph g = EncoderGraphs.encoderOnly(new SmallCnn(), shape);
    INDArray x = Nd4j.rand(DataType.FLOAT, shape.batchShape(3));
    Map<String, INDArray> acts = g.feedForward(x, false);
    // feature maps are NHWC inside the encoder
    assertArrayEquals(new long[] {3, h, w, c}, acts.get("nhwc").shape());
    assertArrayEquals(new long[] {3, h, w, 32}, acts.get("conv1_bn").shape());
    assertArrayEquals(new long[] {3, (h + 1) / 2, (w + 1) / 2, 64}, acts.get("conv2_bn").shape());
    assertArrayEquals(new long[] {3, finalSize, finalSize, 128}, acts.get("conv3_bn").shape());
    assertArrayEquals(new long[] {3, 128}, g.outputSingle(x).shape());
  }

  @ParameterizedTest(name = "channels={0}")
  @MethodSource("channelCounts")
  void parameterCountMatchesClosedForm(int channels) {
    ComputationGraph g = EncoderGraphs.encoderOnly(new SmallCnn(), new InputShape(channels, 28, 28));
    int[] widths = {channels, 32, 64, 128};
    long expected = 0;
    for (int l = 0; l < 3; l++) {
      long in = widths[l];
      long out = widths[l + 1];
      expected += 9 * in * out; // 3x3 conv weights, no bias (BatchNorm follows)
      expected += 4 * out;      // BN: gamma, beta (trainable) + running mean, var (DL4J counts them as params)
    }
    assertEquals(expected, g.numParams());
    assertEquals(9L * channels * 32 + 9 * 32 * 64 + 9 * 64 * 128 + 4 * (32 + 64 + 128), g.numParams());
  }

  static Stream<Integer> channelCounts() {
    return Stream.of(1, 3);
  }
}
