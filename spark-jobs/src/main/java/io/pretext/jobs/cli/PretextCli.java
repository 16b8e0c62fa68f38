package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.pretrain.Provenance;
import io.pretext.jobs.run.RunException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pretext <command> [options]}: the one entry point, for bin/pretext and for
 * {@code spark-submit --class io.pretext.jobs.cli.PretextCli <job jar> <command> ...}.
 */
@Command(name = "pretext", mixinStandardHelpOptions = true, versionProvider = PretextCli.Version.class,
    description = "Distributed self-supervised pretraining on Apache Spark.",
    subcommands = {PrepareImagesCommand.class, PrepareTextCommand.class, ShowViewsCommand.class, PretrainCommand.class,
        EvaluateCommand.class, EmbedCommand.class, FillMaskCommand.class, ReportCommand.class, DemoCommand.class})
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
    CommandLine cli = new CommandLine(PretextCli.class);
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    try {
      MethodSelection.install(cli, args);
    } catch (IllegalArgumentException e) {
      err.println("pretext " + args[0] + ": " + e.getMessage());
      err.println("Try 'pretext " + args[0] + " --help' for the options.");
      JsonLine.error(outWriter, args[0], "usage", e.getMessage());
      return EXIT_USAGE;
    }
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
      boolean userFacing = ex instanceof DatasetException || ex instanceof RunException || ex instanceof UncheckedIOException;
      String message = userFacing || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
          ? ex.getMessage() : ex.toString();
      err.println("pretext " + c.getCommandName() + " failed: " + message);
      if (!userFacing) {
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

  /** {@code pretext <version> (git <commit>)}, from the build's properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pretext " + Provenance.versions().get("pretext") + " (git " + Provenance.gitCommit() + ")"};
    }
  }
}
