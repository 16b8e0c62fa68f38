package io.pretext.model.method.contrastive;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.MethodOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code --method simclr}. */
public final class SimClrOptions extends MethodOptions {

  @Option(names = "--temperature", defaultValue = "" + SimClrConfig.DEFAULT_TEMPERATURE,
      description = "NT-Xent temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--projection-hidden", defaultValue = "" + SimClrConfig.DEFAULT_HIDDEN, split = ",",
      description = "Projection head hidden widths, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Integer> projectionHidden;

  @Option(names = "--projection-dim", defaultValue = "" + SimClrConfig.DEFAULT_PROJECTION_DIM,
      description = "Projection head output width (default: ${DEFAULT-VALUE}).")
  int projectionDim;

  @Override
  public SimClr toMethod() {
    require(temperature > 0 && temperature <= 100 && Double.isFinite(temperature), "--temperature", temperature, "a number in (0, 100]");
    for (int h : projectionHidden) {
      require(h >= 1 && h <= 65536, "--projection-hidden", h, "widths 1..65536");
    }
    require(projectionDim >= 1 && projectionDim <= 65536, "--projection-dim", projectionDim, "an integer 1..65536");
    return new SimClr(new SimClrConfig(temperature, new ProjectionHead(projectionHidden, projectionDim, false)));
  }
}
