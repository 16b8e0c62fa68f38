package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.method.finetune.FineTune;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pretext finetune}'s command line: its own defaults for the round layout, its method options, no --method. */
class FineTuneCommandTest {

  private static FineTuneCommand parse(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "finetune";
    System.arraycopy(args, 0, full, 1, args.length);
    CommandLine root = new CommandLine(PretextCli.class);
    MethodSelection.install(root, full);
    return root.parseArgs(full).subcommand().commandSpec().commandLine().getCommand();
  }

  @Test
  void smallRoundsByDefaultAndTheCommandLineOverridesThem() {
    FineTuneCommand c = parse("--model", "m", "--train", "t", "--test", "u", "--run", "r");
    assertEquals(32, c.training.batchSizePerWorker);
    assertEquals(4, c.training.averagingFrequency);
    assertNull(c.training.epochs, "epochs follow the subset's size unless given");
    assertEquals(1.0, c.labelFraction);
    assertEquals(0.1, c.validationFraction);
    FineTuneCommand d = parse("--model", "m", "--train", "t", "--test", "u", "--run", "r", "--batch-size-per-worker", "8",
        "--freeze-layers", "2");
    assertEquals(8, d.training.batchSizePerWorker);
    assertEquals(2, ((FineTune) MethodSelection.methodOptions(d.spec).toMethod()).config().freezeBlocks());
  }

  @Test
  void methodIsNotAnOptionOfFinetune() {
    CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
        () -> parse("--model", "m", "--train", "t", "--test", "u", "--run", "r", "--method", "simclr"));
    assertTrue(e.getMessage().contains("--method"), e.getMessage());
  }

  @Test
  void epochsGrowAsTheSubsetShrinks() {
    assertEquals(10, FineTuneCommand.defaultEpochs(54_000));
    assertEquals(38, FineTuneCommand.defaultEpochs(5_400));
    assertEquals(200, FineTuneCommand.defaultEpochs(540));
    assertEquals(200, FineTuneCommand.defaultEpochs(1));
  }
}
