package io.pretext.model.method.moco;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.MethodOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code --method moco}. */
public final class MocoOptions extends MethodOptions {

  @Option(names = "--temperature", defaultValue = "" + MocoConfig.DEFAULT_TEMPERATURE,
      description = "InfoNCE temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--momentum", defaultValue = "" + MocoConfig.DEFAULT_MOMENTUM,
      description = "Momentum of the key encoder's moving average, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--queue-size", defaultValue = "" + MocoConfig.DEFAULT_QUEUE_SIZE,
      description = "Keys in the queue of negatives; at least the keys of one step, --workers x 2 x --batch-size-per-worker "
          + "(default: ${DEFAULT-VALUE}).")
  int queueSize;

  @Option(names = "--bn-splits", defaultValue = "" + MocoConfig.DEFAULT_BN_SPLITS,
      description = "Batch-norm groups of the key encoder (split batch norm); must divide 2 x --batch-size-per-worker (default: "
          + "${DEFAULT-VALUE}).")
  int bnSplits;

  @Option(names = "--projection-hidden", defaultValue = "" + MocoConfig.DEFAULT_HIDDEN, split = ",",
      description = "Projection head hidden widths, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Integer> projectionHidden;

  @Option(names = "--projection-dim", defaultValue = "" + MocoConfig.DEFAULT_PROJECTION_DIM,
      description = "Projection head output width: the keys' width (default: ${DEFAULT-VALUE}).")
  int projectionDim;

  @Override
  public Moco toMethod() {
    for (int h : projectionHidden) {
      require(h >= 1 && h <= 65536, "--projection-hidden", h, "widths 1..65536");
    }
    require(projectionDim >= 1 && projectionDim <= 65536, "--projection-dim", projectionDim, "an integer 1..65536");
    return new Moco(new MocoConfig(temperature, momentum, queueSize, bnSplits, new ProjectionHead(projectionHidden, projectionDim, false)));
  }
}
