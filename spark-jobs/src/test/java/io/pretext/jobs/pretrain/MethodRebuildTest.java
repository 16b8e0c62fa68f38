package io.pretext.jobs.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.batches.views.ViewSettings;
import io.pretext.jobs.cli.PretrainCommand;
import io.pretext.jobs.run.InputInfo;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.InputShape;
import io.pretext.model.method.Methods;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.ViewDefaults;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run's recipe rebuilt from its run.json is the recipe it trained with (the report draws its views from it). */
class MethodRebuildTest {

  static RunInfo info(String method, SortedMap<String, SortedMap<String, String>> options) {
    return new RunInfo(RunInfo.FORMAT_VERSION, method, "small-cnn", "representation", 128, InputInfo.of(new InputShape(1, 28, 28)),
        options, "d", "0".repeat(64), new TreeMap<>(), "x", 7, 0, 0, 0, 1, 0, 0.0, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"simclr", "byol"})
  void theRecordedRecipeIsTheOneThatTrained(String method) {
    PretrainConfig c = PretrainCommand.configFrom("--data", "d", "--run", "r", "--method", method, "--crop-scale-min", "0.35",
        "--blur-prob", "0.5,0.25", "--jitter", "0.3");
    RunInfo info = info(method, c.options());
    ViewSettings rebuilt = (ViewSettings) MethodRebuild.recipe(info);
    assertEquals(c.recipe(), rebuilt);
    assertEquals(List.of(0.5, 0.25), rebuilt.blurProb());
    ViewDefaults d = ((MultiViewMethod) Methods.withDefaults(method)).viewDefaults();
    assertEquals(new ViewSettings(d.views(), d.cropScaleMin(), d.jitter(), d.jitterProb(), d.blurProb(), d.solarizeProb()).solarizeProb(),
        rebuilt.solarizeProb(), "an option not given takes the method's own recipe");
  }

  @Test
  void aRunWithoutARecipeGroupGetsThePreset() {
    ViewSettings rebuilt = (ViewSettings) MethodRebuild.recipe(info("simclr", new TreeMap<>()));
    ViewDefaults d = ViewDefaults.TWO_VIEWS;
    assertEquals(new ViewSettings(2, d.cropScaleMin(), d.jitter(), d.jitterProb(), d.blurProb(), d.solarizeProb()), rebuilt);
  }

  @Test
  void aRecipeThatNoLongerParsesIsARunException() {
    SortedMap<String, SortedMap<String, String>> options = new TreeMap<>();
    options.put("recipe", new TreeMap<>(java.util.Map.of("--blur-prob", "often")));
    RunException e = assertThrows(RunException.class, () -> MethodRebuild.recipe(info("simclr", options)));
    assertTrue(e.getMessage().contains("recipe") && e.getMessage().contains("often"), e.getMessage());
  }
}
