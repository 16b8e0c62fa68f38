package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pretext <command> [options]}: the one entry point, for bin/pretext and for
 * {@code spark-submit --class io.pretext.jobs.cli.PretextCli <job jar> <command> ...}.
 */
@Command(name = "pretext", mixinStandardHelpOptions = true, version = "pretext 0.1.0",
    description = "Distributed self-supervised pretraining on Apache Spark.",
    subcommands = {PrepareImagesCommand.class, PrepareTextCommand.class, ShowViewsCommand.class, PretrainCommand.class, EvaluateCommand.class,
        EmbedCommand.class, DemoCommand.class})
public final class PretextCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private PretextCli() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code; tests call this with the real arguments. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new PretextCli());
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    cli.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      err.println("pretext " + c.getCommandName() + ": " + ex.getMessage());
      err.println("Try 'pretext " + (c.getParent() == null ? "" : c.getCommandName() + " ") + "--help' for the options.");
      JsonLine.error(outWriter, c.getCommandName(), "usage", ex.getMessage());
      return EXIT_USAGE;
    });
    cli.setExecutionExceptionHandler((ex, c, parsed) -> {
      String message = ex instanceof DatasetException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
          ? ex.getMessage() : ex.toString();
      err.println("pretext " + c.getCommandName() + " failed: " + message);
      if (!(ex instanceof DatasetException)) {
        ex.printStackTrace(err);
      }
      JsonLine.error(outWriter, c.getCommandName(), "failed", message);
      return EXIT_FAILED;
    });
    if (args.length == 0) {
      cli.usage(err);
      return EXIT_USAGE;
    }
    return cli.execute(args);
  }
}
