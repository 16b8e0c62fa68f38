package io.pretext.model.encoder;

import java.util.List;
import java.util.Objects;

/**
 * Shape of a ResNet (He et al. 2016, "Deep Residual Learning for Image Recognition").
 *
 * @param block          {@link Block#BASIC} (two 3x3 convs, expansion 1) or {@link Block#BOTTLENECK}
 *                       (1x1, 3x3, 1x1, expansion 4; stride on the 3x3 as in torchvision's "ResNet v1.5")
 * @param blocksPerStage number of blocks in each stage, e.g. {@code [3,3,3]} (CIFAR ResNet-20), {@code [2,2,2,2]}
 *                       (ResNet-18) or {@code [3,4,6,3]} (ResNet-50); stage {@code s > 0} starts with a stride-2 block
 * @param widths         base width of each stage, e.g. {@code [64,128,256,512]}; the stage outputs
 *                       {@code width * expansion} channels
 * @param stem           {@link Stem#SMALL_3X3} (3x3 stride 1, no max-pool: for 28-64 px inputs) or
 *                       {@link Stem#IMAGENET_7X7} (7x7 stride 2 + 3x3 stride-2 max-pool)
 */
public record ResNetArchitecture(Block block, List<Integer> blocksPerStage, List<Integer> widths, Stem stem) {

  /** Residual block type. */
  public enum Block {
    BASIC(1), BOTTLENECK(4);

    private final int expansion;

    Block(int expansion) {
      this.expansion = expansion;
    }

    /** Output channels / base width. */
    public int expansion() {
      return expansion;
    }
  }

  /** Network stem. */
  public enum Stem { SMALL_3X3, IMAGENET_7X7 }

  public ResNetArchitecture {
    Objects.requireNonNull(block, "ResNetArchitecture.block is null; allowed: BASIC, BOTTLENECK");
    Objects.requireNonNull(stem, "ResNetArchitecture.stem is null; allowed: SMALL_3X3, IMAGENET_7X7");
    blocksPerStage = List.copyOf(blocksPerStage);
    widths = List.copyOf(widths);
    if (blocksPerStage.isEmpty() || blocksPerStage.size() != widths.size()) {
      throw new IllegalArgumentException("ResNetArchitecture: blocksPerStage " + blocksPerStage + " and widths "
          + widths + " must be non-empty and of equal length, one entry per stage");
    }
    for (int i = 0; i < widths.size(); i++) {
      if (blocksPerStage.get(i) < 1 || widths.get(i) < 1) {
        throw new IllegalArgumentException("ResNetArchitecture stage " + i + ": blocks = "
            + blocksPerStage.get(i) + ", width = " + widths.get(i) + " are invalid: both must be >= 1");
      }
    }
  }

  /** ResNet-18 layout with a 3x3 stride-1 stem and no max-pool (for 28-64 px inputs); 512-d output. */
  public static ResNetArchitecture resnet18Small() {
    return new ResNetArchitecture(Block.BASIC, List.of(2, 2, 2, 2), List.of(64, 128, 256, 512), Stem.SMALL_3X3);
  }

  /**
   * CIFAR ResNet-20 (He et al. 2016, section 4.2): BasicBlock [3,3,3], widths 16/32/64, 3x3 stride-1 stem, no
   * max-pool (for 28-32 px inputs); 64-d output. The paper's 0.27M parameters use zero-padding identity shortcuts
   * (option A); here the two shape-changing blocks have 1x1 projection shortcuts (option B), 2,560 more weights.
   */
  public static ResNetArchitecture resnet20() {
    return new ResNetArchitecture(Block.BASIC, List.of(3, 3, 3), List.of(16, 32, 64), Stem.SMALL_3X3);
  }

  /** {@link #resnet20()} with every width multiplied by 4: widths 64/128/256, same depth; 256-d output. */
  public static ResNetArchitecture resnet20Wide() {
    return new ResNetArchitecture(Block.BASIC, List.of(3, 3, 3), List.of(64, 128, 256), Stem.SMALL_3X3);
  }

  /** Standard ResNet-50; 2048-d output. */
  public static ResNetArchitecture resnet50() {
    return new ResNetArchitecture(Block.BOTTLENECK, List.of(3, 4, 6, 3), List.of(64, 128, 256, 512),
        Stem.IMAGENET_7X7);
  }

  /** Channels of the stem output: the first stage's base width. */
  public int stemWidth() {
    return widths.get(0);
  }

  /** Channels of the final stage, i.e. the representation dimension. */
  public int outputDim() {
    return widths.get(widths.size() - 1) * block.expansion();
  }
}
