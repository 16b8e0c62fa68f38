package io.pretext.data.batches.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.augment.ViewRecipe;
import io.pretext.model.method.Methods;
import io.pretext.model.method.SslMethod;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The view options start from the method's preset, take one value for every view or one per view, and say so when wrong. */
class ViewOptionsTest {

  private static ViewSettings resolve(String method, String... args) {
    ViewOptions options = new ViewOptions();
    new CommandLine(options).parseArgs(args);
    SslMethod m = Methods.withDefaults(method);
    return options.toRecipe(m);
  }

  @Test
  void presetsGiveEachMethodItsViews() {
    ViewSettings simclr = resolve("simclr");
    assertEquals(List.of(0.0, 0.0), simclr.blurProb());
    assertEquals(List.of(1.0, 1.0), simclr.jitterProb());
    ViewSettings byol = resolve("byol");
    assertEquals(List.of(1.0, 0.1), byol.blurProb(), "BYOL's first view is always blurred, its second rarely");
    assertEquals(List.of(0.0, 0.2), byol.solarizeProb(), "only the second view is solarized");
    List<ViewRecipe> recipes = byol.recipes(1, 28, 28);
    assertEquals(1.0, recipes.get(0).blurProb());
    assertEquals(0.2, recipes.get(1).solarizeProb());
  }

  @Test
  void oneValueAppliesToEveryViewAndAListToEachView() {
    assertEquals(List.of(0.5, 0.5), resolve("byol", "--blur-prob", "0.5").blurProb());
    assertEquals(List.of(0.3, 0.4), resolve("simclr", "--crop-scale-min", "0.3,0.4").cropScaleMin());
    ViewOptions options = new ViewOptions();
    new CommandLine(options).parseArgs("--jitter", "0.7");
    options.toRecipe(Methods.withDefaults("byol"));
    assertEquals(List.of(0.7, 0.7), options.jitter, "the resolved values are stored back, for run.json");
    assertEquals(List.of(1.0, 0.1), options.blurProb);
  }

  @Test
  void wrongCountsAndRangesNameTheOption() {
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> resolve("byol", "--blur-prob", "1,0.1,0"));
    assertTrue(count.getMessage().contains("--blur-prob") && count.getMessage().contains("one per view"), count.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> resolve("simclr", "--solarize-prob", "1.5"));
    assertTrue(range.getMessage().contains("--solarize-prob") && range.getMessage().contains("'1.5'"), range.getMessage());
  }
}
