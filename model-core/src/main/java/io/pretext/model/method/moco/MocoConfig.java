package io.pretext.model.method.moco;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.head.ProjectionHead;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * MoCo v2's settings, each validated here with the option that sets it ({@link MocoOptions}).
 *
 * @param temperature InfoNCE temperature T, in (0, 100] (default {@value #DEFAULT_TEMPERATURE}, MoCo v2's)
 * @param momentum the key encoder's EMA momentum m in [0, 1) (default {@value #DEFAULT_MOMENTUM}; the paper's 0.999 is
 *     for 200 epochs of ImageNet, a few thousand steps need a faster key encoder)
 * @param queueSize keys in the queue K, &gt;= 1 (default {@value #DEFAULT_QUEUE_SIZE} for a 60,000-image corpus: about
 *     7% of it, as MoCo's 65,536 are of ImageNet; a multiple of workers x batch size per worker x 2 views keeps whole
 *     steps in it)
 * @param bnSplits batch-norm groups of the key encoder (split batch norm), &gt;= 1 (default {@value #DEFAULT_BN_SPLITS})
 * @param head the projection head of the query (and, as a twin, of the key) encoder (default {@code repDim -> 128 ReLU
 *     -> 64}, SimCLR's: MoCo v2's MLP head)
 */
public record MocoConfig(double temperature, double momentum, int queueSize, int bnSplits, ProjectionHead head) implements Serializable {
  public static final double DEFAULT_TEMPERATURE = 0.2;
  public static final double DEFAULT_MOMENTUM = 0.99;
  public static final int DEFAULT_QUEUE_SIZE = 4096;
  public static final int DEFAULT_BN_SPLITS = 8;
  public static final int DEFAULT_HIDDEN = 128;
  public static final int DEFAULT_PROJECTION_DIM = 64;

  public MocoConfig {
    require(temperature > 0 && temperature <= 100 && Double.isFinite(temperature), "--temperature", temperature, "a number in (0, 100]");
    require(momentum >= 0 && momentum < 1, "--momentum", momentum, "a number in [0, 1)");
    require(queueSize >= 1 && queueSize <= 1 << 24, "--queue-size", queueSize, "an integer 1..16777216");
    require(bnSplits >= 1 && bnSplits <= 1024, "--bn-splits", bnSplits, "an integer 1..1024");
    Objects.requireNonNull(head, "head");
  }

  /** The defaults. */
  public static MocoConfig defaults() {
    return new MocoConfig(DEFAULT_TEMPERATURE, DEFAULT_MOMENTUM, DEFAULT_QUEUE_SIZE, DEFAULT_BN_SPLITS,
        new ProjectionHead(List.of(DEFAULT_HIDDEN), DEFAULT_PROJECTION_DIM, false));
  }

  /** Width of the keys. */
  public int keyDim() {
    return head.outDim();
  }
}
