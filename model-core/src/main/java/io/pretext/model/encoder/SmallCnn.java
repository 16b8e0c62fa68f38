package io.pretext.model.encoder;

import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * {@code small-cnn}: a three-layer CNN for small images (Fashion-MNIST, CIFAR), 128-d representation.
 *
 * <pre>
 *   [N, C, H, W]
 *   conv 3x3, C -&gt; 32,  stride 1, pad 1, BN, ReLU   -&gt; [N, 32,  H,      W]
 *   conv 3x3, 32 -&gt; 64, stride 2, pad 1, BN, ReLU   -&gt; [N, 64,  ceil(H/2), ceil(W/2)]
 *   conv 3x3, 64 -&gt; 128, stride 2, pad 1, BN, ReLU  -&gt; [N, 128, ceil(H/4), ceil(W/4)]
 *   global average pool                            -&gt; [N, 128]
 * </pre>
 * Convolutions have no bias (each is followed by batch norm). {@code C} comes from the {@link InputShape}. Inside,
 * activations are NHWC (vertex {@code nhwc} converts the input); each BN + ReLU is one layer ({@code convK_bn}).
 * Trainable parameters: {@code 9*(C*32 + 32*64 + 64*128) + 2*(32+64+128)}; DL4J additionally counts the BN running
 * mean and variance as parameters ({@code 4*nOut} per BN layer in {@code numParams()}).
 */
public final class SmallCnn implements EncoderSpec {

  /** Registry name. */
  public static final String NAME = "small-cnn";
  static final int[] WIDTHS = {32, 64, 128};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DatasetKind kind() {
    return DatasetKind.IMAGE;
  }

  @Override
  public int representationDim() {
    return WIDTHS[2];
  }

  @Override
  public EncoderOutput addTo(GraphBuilder graph, String prefix, String input, ModelInput example) {
    InputShape shape = ModelInput.image(example, "encoder " + name());
    String nhwc = ConvBlocks.channelsLast(graph, prefix + "nhwc", input);
    String x = ConvBlocks.stemConvBnRelu(graph, prefix + "conv1", nhwc, shape.channels(), WIDTHS[0], 3, 1, 1);
    x = ConvBlocks.convBnRelu(graph, prefix + "conv2", x, WIDTHS[0], WIDTHS[1], 3, 2, 1);
    x = ConvBlocks.convBnRelu(graph, prefix + "conv3", x, WIDTHS[1], WIDTHS[2], 3, 2, 1);
    String repr = ConvBlocks.globalAvgPool(graph, prefix + REPRESENTATION, x);
    return new EncoderOutput(repr, representationDim());
  }

  @Override
  public String toString() {
    return NAME;
  }
}
