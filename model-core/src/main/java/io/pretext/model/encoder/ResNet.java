package io.pretext.model.encoder;

import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * ResNet encoder (He et al. 2016) built from a {@link ResNetArchitecture}; the classification layer is dropped and
 * global average pooling gives the representation {@code [N, outputDim]}.
 *
 * <p>Blocks are post-activation ("v1"): {@code relu(F(x) + shortcut(x))}; the shortcut is the identity unless the
 * stride or channel count changes, then a 1x1 convolution + BN (projection shortcut, option B). Bottleneck blocks put
 * the stride on the 3x3 convolution (torchvision "v1.5"). Vertex names: {@code prefix + "stem"}, {@code prefix +
 * "s<stage>b<block>_<part>"}, representation {@code prefix + "representation"}.
 *
 * <p>Spatial sizes for an {@code H x W} input: {@link ResNetArchitecture.Stem#SMALL_3X3} keeps {@code H}, each later
 * stage halves it (ceil), so 32 px ends at 4x4 after four stages ({@code resnet18-small}) and at 8x8 after three
 * ({@code resnet20}); {@link ResNetArchitecture.Stem#IMAGENET_7X7} divides by 4 before
 * stage 1, so 224 px ends at 7x7 and 64 px at 2x2.
 */
public final class ResNet implements EncoderSpec {

  /** Registry name of the CIFAR ResNet-20 (widths 16/32/64). */
  public static final String RESNET20 = "resnet20";
  /** Registry name of the CIFAR ResNet-20 with four times the width (64/128/256). */
  public static final String RESNET20_WIDE = "resnet20-wide";
  /** Registry name of the ResNet-18 variant for small images. */
  public static final String RESNET18_SMALL = "resnet18-small";
  /** Registry name of the standard ResNet-50. */
  public static final String RESNET50 = "resnet50";

  private final String name;
  private final ResNetArchitecture architecture;

  public ResNet(String name, ResNetArchitecture architecture) {
    this.name = Objects.requireNonNull(name, "ResNet.name is null");
    this.architecture = Objects.requireNonNull(architecture, "ResNet.architecture is null");
  }

  /**
   * {@code resnet20}: the CIFAR ResNet-20 of He et al. 2016, section 4.2: BasicBlock [3,3,3], widths 16/32/64, 3x3
   * stride-1 stem, no max-pool; 64-d. For a 32x32 input the stages output 32x32x16, 16x16x32 and 8x8x64 (28 px: 28,
   * 14, 7).
   */
  public static ResNet resnet20() {
    return new ResNet(RESNET20, ResNetArchitecture.resnet20());
  }

  /** {@code resnet20-wide}: {@link #resnet20()} with widths 64/128/256 (same depth, 16x the stage weights); 256-d. */
  public static ResNet resnet20Wide() {
    return new ResNet(RESNET20_WIDE, ResNetArchitecture.resnet20Wide());
  }

  /** {@code resnet18-small}: BasicBlock [2,2,2,2], widths 64..512, 3x3 stride-1 stem, no max-pool; 512-d. */
  public static ResNet resnet18Small() {
    return new ResNet(RESNET18_SMALL, ResNetArchitecture.resnet18Small());
  }

  /** {@code resnet50}: Bottleneck [3,4,6,3], 7x7 stride-2 stem + max-pool; 2048-d. */
  public static ResNet resnet50() {
    return new ResNet(RESNET50, ResNetArchitecture.resnet50());
  }

  public ResNetArchitecture architecture() {
    return architecture;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DatasetKind kind() {
    return DatasetKind.IMAGE;
  }

  @Override
  public int representationDim() {
    return architecture.outputDim();
  }

  @Override
  public EncoderOutput addTo(GraphBuilder graph, String prefix, String input, ModelInput example) {
    InputShape shape = ModelInput.image(example, "encoder " + name());
    int stemWidth = architecture.stemWidth();
    String nhwc = ConvBlocks.channelsLast(graph, prefix + "nhwc", input);
    String x = switch (architecture.stem()) {
      case SMALL_3X3 -> ConvBlocks.stemConvBnRelu(graph, prefix + "stem", nhwc, shape.channels(), stemWidth, 3, 1, 1);
      case IMAGENET_7X7 -> ConvBlocks.maxPool(graph, prefix + "stem_pool",
          ConvBlocks.stemConvBnRelu(graph, prefix + "stem", nhwc, shape.channels(), stemWidth, 7, 2, 3), 3, 2, 1);
    };
    int channels = stemWidth;
    for (int s = 0; s < architecture.widths().size(); s++) {
      int width = architecture.widths().get(s);
      for (int b = 0; b < architecture.blocksPerStage().get(s); b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        String blockName = prefix + "s" + (s + 1) + "b" + (b + 1);
        x = addBlock(graph, blockName, x, channels, width, stride);
        channels = width * architecture.block().expansion();
      }
    }
    String repr = ConvBlocks.globalAvgPool(graph, prefix + REPRESENTATION, x);
    return new EncoderOutput(repr, representationDim());
  }

  private String addBlock(GraphBuilder g, String name, String input, int inChannels, int width, int stride) {
    int outChannels = width * architecture.block().expansion();
    String residual = switch (architecture.block()) {
      case BASIC -> {
        String a = ConvBlocks.convBnRelu(g, name + "_conv1", input, 0, width, 3, stride, 1);
        yield ConvBlocks.convBn(g, name + "_conv2", a, width, 3, 1, 1);
      }
      case BOTTLENECK -> {
        String a = ConvBlocks.convBnRelu(g, name + "_conv1", input, 0, width, 1, 1, 0);
        String c = ConvBlocks.convBnRelu(g, name + "_conv2", a, 0, width, 3, stride, 1);
        yield ConvBlocks.convBn(g, name + "_conv3", c, outChannels, 1, 1, 0);
      }
    };
    String shortcut = (stride != 1 || inChannels != outChannels)
        ? ConvBlocks.convBn(g, name + "_down", input, outChannels, 1, stride, 0)
        : input;
    g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), residual, shortcut);
    return ConvBlocks.relu(g, name + "_out", name + "_add");
  }

  @Override
  public String toString() {
    return name + "(" + architecture + ")";
  }
}
