package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.jobs.pretrain.TrainingConfig;
import io.pretext.model.method.Methods;
import io.pretext.model.method.SslMethod;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@link TrainingOptions#toConfig}: an option the command line leaves out takes the method's training preset (epochs
 * and optimiser), one it gives wins, and the resolved value is stored back for run.json.
 */
class TrainingOptionsTest {

  @Command(name = "t")
  static final class Holder {
    @Mixin TrainingOptions training;
  }

  private static TrainingOptions parse(String... args) {
    Holder h = new Holder();
    new CommandLine(h).parseArgs(args);
    return h.training;
  }

  @Test
  void optionsNotGivenTakeTheMethodsPreset() {
    // name, epochs, lr, weight decay, warm-up: SimCLR's tuned recipe, BYOL's longer run, BERT's optimiser
    Object[][] expected = {{"simclr", 4, 8e-3, 1e-4, 0.2}, {"byol", 8, 8e-3, 1e-4, 0.2}, {"mlm", 4, 1e-3, 0.01, 0.1}};
    for (Object[] e : expected) {
      SslMethod method = Methods.withDefaults((String) e[0]);
      TrainingOptions options = parse("--method", (String) e[0]);
      TrainingConfig c = options.toConfig(method);
      assertEquals(e[1], c.epochs(), e[0] + ": epochs");
      assertEquals((double) e[2], c.lr(), 0.0, e[0] + ": lr");
      assertEquals((double) e[3], c.weightDecay(), 0.0, e[0] + ": weight decay");
      assertEquals((double) e[4], c.warmupEpochs(), 0.0, e[0] + ": warm-up");
      assertEquals(e[1], options.epochs, e[0] + ": the resolved epochs are stored back for run.json");
    }
  }

  @Test
  void givenOptionsWinOverThePreset() {
    TrainingConfig c = parse("--method", "byol", "--epochs", "3", "--lr", "2e-3").toConfig(Methods.withDefaults("byol"));
    assertEquals(3, c.epochs());
    assertEquals(2e-3, c.lr(), 0.0);
    assertEquals(1e-4, c.weightDecay(), 0.0, "not given: still the preset's");
  }
}
