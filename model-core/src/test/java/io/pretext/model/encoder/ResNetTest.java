package io.pretext.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ResNet shapes and parameter counts. Reference counts: torchvision resnet18 has 11,689,512 parameters and resnet50
 * 25,557,032, both including the 1000-way fc layer (512*1000+1000 and 2048*1000+1000). DL4J also counts BatchNorm
 * running mean and variance as parameters (2 per BN channel). CIFAR ResNet-20 (He et al. 2016, section 4.2, 0.27M
 * parameters): 269,722 in akamaster/pytorch_resnet_cifar10 ({@code resnet.py}, option-A shortcuts, 10-way fc).
 */
class ResNetTest {

  /** Set by surefire from the Maven property {@code nd4j.classifier} (parent pom). */
  private static final String CLASSIFIER = System.getProperty("pretext.nd4j.classifier", "");

  @Test
  void resnet18SmallForwardShapeAndParameterCount() {
    InputShape shape = InputShape.rgb(32, 32);
    ComputationGraph g = EncoderGraphs.encoderOnly(ResNet.resnet18Small(), shape);
    INDArray out = g.outputSingle(Nd4j.rand(DataType.FLOAT, shape.batchShape(2)));
    assertArrayEquals(new long[] {2, 512}, out.shape());

    long torchvisionWithoutFc = 11_689_512L - (512L * 1000 + 1000);
    long stemDifference = 3L * 64 * 49 - 3L * 64 * 9; // 7x7 stem replaced by 3x3
    long bnChannels = 64 + 4 * 64 + (4 * 128 + 128) + (4 * 256 + 256) + (4 * 512 + 512);
    assertEquals(torchvisionWithoutFc - stemDifference + 2 * bnChannels, g.numParams());
  }

  @Test
  void resnet50BuildsAndForwardsOn64Pixels() {
    InputShape shape = InputShape.rgb(64, 64);
    ComputationGraph g = EncoderGraphs.encoderOnly(ResNet.resnet50(), shape);
    INDArray out = g.outputSingle(Nd4j.rand(DataType.FLOAT, shape.batchShape(1)));
    assertArrayEquals(new long[] {1, 2048}, out.shape());

    long torchvisionWithoutFc = 25_557_032L - (2048L * 1000 + 1000);
    long bnChannels = 64
        + 3 * (64 + 64 + 256) + 256
        + 4 * (128 + 128 + 512) + 512
        + 6 * (256 + 256 + 1024) + 1024
        + 3 * (512 + 512 + 2048) + 2048;
    assertEquals(torchvisionWithoutFc + 2 * bnChannels, g.numParams());
  }

  static Stream<Arguments> resnet20Inputs() {
    return Stream.of(Arguments.of("resnet20", 16, 1, 28), Arguments.of("resnet20", 16, 3, 32),
        Arguments.of("resnet20-wide", 64, 1, 28), Arguments.of("resnet20-wide", 64, 3, 32));
  }

  @ParameterizedTest(name = "{0} on {2}x{3}x{3}")
  @MethodSource("resnet20Inputs")
  void resnet20StageShapesAndRepresentation(String name, int w, int channels, int size) {
    InputShape shape = new InputShape(channels, size, size);
    ComputationGraph g = EncoderGraphs.encoderOnly(Encoders.byName(name), shape);
    INDArray x = Nd4j.rand(DataType.FLOAT, shape.batchShape(2));
    Map<String, INDArray> acts = g.feedForward(x, false);
    int half = (size + 1) / 2;
    int quarter = (half + 1) / 2; // 32 -> 16 -> 8, 28 -> 14 -> 7
    // feature maps are NHWC inside the encoder; three blocks per stage, the last one named s<stage>b3
    assertArrayEquals(new long[] {2, size, size, w}, acts.get("stem_bn").shape());
    assertArrayEquals(new long[] {2, size, size, w}, acts.get("s1b3_out").shape());
    assertArrayEquals(new long[] {2, half, half, 2 * w}, acts.get("s2b3_out").shape());
    assertArrayEquals(new long[] {2, quarter, quarter, 4 * w}, acts.get("s3b3_out").shape());
    assertTrue(!acts.containsKey("s1b4_out") && !acts.containsKey("s4b1_out"), acts.keySet().toString());
    assertArrayEquals(new long[] {2, 4 * w}, g.outputSingle(x).shape());
  }

  /**
   * Closed form of the CIFAR ResNet-20 layout (6n + 2 layers, n = 3) at base width {@code w}: 3x3 stem, then stages
   * of widths w, 2w, 4w with three BasicBlocks each (two 3x3 convolutions, no bias, each followed by BN); the first
   * block of stages 2 and 3 has stride 2 and a 1x1 projection shortcut + BN. DL4J counts 4 values per BN channel
   * (gamma, beta, running mean, running variance).
   */
  static long resnet20ClosedForm(int channels, int w) {
    long weights = 9L * channels * w;
    long bnChannels = w;
    long in = w;
    for (int s = 0; s < 3; s++) {
      long out = (long) w << s;
      for (int b = 0; b < 3; b++) {
        weights += 9 * in * out + 9 * out * out;
        bnChannels += 2 * out;
        if (in != out) {
          weights += in * out;
          bnChannels += out;
        }
        in = out;
      }
    }
    return weights + 4 * bnChannels;
  }

  @ParameterizedTest(name = "{0} on {2} channels")
  @MethodSource("resnet20Inputs")
  void resnet20ParameterCountMatchesClosedForm(String name, int w, int channels, int size) {
    ComputationGraph g = EncoderGraphs.encoderOnly(Encoders.byName(name), new InputShape(channels, size, size));
    assertEquals(resnet20ClosedForm(channels, w), g.numParams());
  }

  @Test
  void resnet20ParameterCountAgainstThePaper() {
    ComputationGraph g = EncoderGraphs.encoderOnly(ResNet.resnet20(), InputShape.rgb(32, 32));
    long optionAWithoutFc = 269_722L - (64L * 10 + 10);
    long projections = 16L * 32 + 32L * 64 + 2L * (32 + 64); // two 1x1 shortcut convolutions and their BN
    long runningStats = 2L * (16 + 3 * 2 * 16 + 3 * 2 * 32 + 32 + 3 * 2 * 64 + 64);
    assertEquals(optionAWithoutFc + projections + runningStats, g.numParams());
    assertEquals(273_392L, g.numParams());
    assertEquals(271_824L, g.numParams() - runningStats, "trainable parameters (0.27M in the paper)");

    ComputationGraph wide = EncoderGraphs.encoderOnly(ResNet.resnet20Wide(), InputShape.rgb(32, 32));
    assertEquals(4_331_456L, wide.numParams());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resnet20Names")
  void resnet20RunsOnOneDnnInTheOneDnnBuild(String name) {
    GraphSettings settings = new GraphSettings(7, DataType.FLOAT, OptimizerConfig.adamW(1e-3, 1e-4, 0, 10));
    ComputationGraph g = new SimClr(SimClrConfig.defaults()).build(Encoders.byName(name), InputShape.rgb(32, 32),
        settings);
    Map<String, String> helpers = LayerHelpers.helpersByLayer(g);
    // stem + 9 blocks x 2 convolutions + 2 projections = 21 convolutions, each followed by a batch norm
    assertEquals(42, helpers.size(), "conv and BN layers of " + name + ": " + helpers);
    helpers.forEach((layer, helper) -> {
      if (layer.endsWith("_bn")) {
        assertEquals(LayerHelpers.FUSED, helper, "batch norm is Pretext's fused layer on every build: " + layer);
      }
    });
    if (CLASSIFIER.contains("onednn")) {
      assertTrue(LayerHelpers.allOneDnn(g), "nd4j-native:" + CLASSIFIER
          + " is a oneDNN build but some layers of " + name + " run DL4J's built-in code: " + helpers);
    }
  }

  static Stream<String> resnet20Names() {
    return Stream.of(ResNet.RESNET20, ResNet.RESNET20_WIDE);
  }
}
