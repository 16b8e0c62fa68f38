package io.pretext.model.method.distillation;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.MethodOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code --method byol}. */
public final class ByolOptions extends MethodOptions {

  @Option(names = "--ema-tau", defaultValue = "" + ByolConfig.DEFAULT_EMA_TAU,
      description = "Base decay of the target's moving average; rises to 1 with a cosine over the run (default: ${DEFAULT-VALUE}).")
  double emaTau;

  @Option(names = "--projection-hidden", defaultValue = "" + ByolConfig.DEFAULT_HIDDEN, split = ",",
      description = "Projector hidden widths, comma-separated, each followed by BatchNorm and ReLU (default: ${DEFAULT-VALUE}).")
  List<Integer> projectionHidden;

  @Option(names = "--projection-dim", defaultValue = "" + ByolConfig.DEFAULT_DIM,
      description = "Projector and predictor output width (default: ${DEFAULT-VALUE}).")
  int projectionDim;

  @Option(names = "--predictor-hidden", defaultValue = "" + ByolConfig.DEFAULT_HIDDEN, split = ",",
      description = "Predictor hidden widths, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Integer> predictorHidden;

  @Override
  public Byol toMethod() {
    for (int h : projectionHidden) {
      require(h >= 1 && h <= 65536, "--projection-hidden", h, "widths 1..65536");
    }
    for (int h : predictorHidden) {
      require(h >= 1 && h <= 65536, "--predictor-hidden", h, "widths 1..65536");
    }
    require(projectionDim >= 1 && projectionDim <= 65536, "--projection-dim", projectionDim, "an integer 1..65536");
    return new Byol(new ByolConfig(new ProjectionHead(projectionHidden, projectionDim, true),
        new ProjectionHead(predictorHidden, projectionDim, true), emaTau));
  }
}
