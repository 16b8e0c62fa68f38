package io.pretext.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.model.InputShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ResNet shapes and parameter counts. Reference counts: torchvision resnet18 has 11,689,512 parameters and resnet50
 * 25,557,032, both including the 1000-way fc layer (512*1000+1000 and 2048*1000+1000). DL4J also counts BatchNorm
 * running mean and variance as parameters (2 per BN channel).
 */
class ResNetTest {

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
}
