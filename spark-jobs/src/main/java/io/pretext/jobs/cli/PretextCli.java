package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.pretrain.Provenance;
import io.pretext.jobs.run.RunException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@code pretext <command> [options]}: the one entry point, for bin/pretext and for
 * {@code spark-submit --class io.pretext.jobs.cli.PretextCli <job jar> <command> ...}.
 *
 * <p>{@code pretext --help} lists the commands under the headings of {@link #GROUPS}. Every way of using it wrongly exits
 * with {@value #EXIT_USAGE}, says what was wrong on stderr and ends stdout with a {@code "status":"usage"} JSON line: an
 * unknown command (with or without {@code --help}: one line naming it and the known ones), an unknown option, a bad
 * option value.
 */
@Command(name = "pretext", mixinStandardHelpOptions = true, versionProvider = PretextCli.Version.class,
    description = "Distributed self-supervised pretraining on Apache Spark.",
    subcommands = {PrepareImagesCommand.class, PrepareTextCommand.class, ShowViewsCommand.class, PretrainCommand.class,
        FineTuneCommand.class, PredictCommand.class, EvaluateCommand.class, EmbedCommand.class, FillMaskCommand.class, ReconstructCommand.class, ReportCommand.class, DemoCommand.class})
public final class PretextCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** The headings of {@code pretext --help} and their commands, in the order shown; every command is in one. */
  static final Map<String, List<String>> GROUPS = groups();

  private PretextCli() {}

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    g.put("Data", List.of("prepare-images", "prepare-text", "show-views"));
    g.put("Training", List.of("pretrain", "finetune", "demo"));
    g.put("Evaluation", List.of("evaluate", "predict", "embed", "fill-mask", "reconstruct"));
    g.put("Tools", List.of("report"));
    return Collections.unmodifiableMap(g);
  }

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code; tests call this with the real arguments. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(PretextCli.class);
    cli.getHelpSectionMap().remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
    cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new GroupedCommands());
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    String unknown = unknownCommand(cli, args);
    if (unknown != null) {
      String message = "unknown command '" + unknown + "'; the commands are " + String.join(", ", GROUPS.values().stream()
          .flatMap(List::stream).toList()) + " ('pretext --help' describes them)";
      err.println("pretext: " + message);
      JsonLine.error(outWriter, "pretext", "usage", message);
      return EXIT_USAGE;
    }
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
      err.println((c.getParent() == null ? "pretext" : "pretext " + c.getCommandName()) + ": " + ex.getMessage());
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

  /**
   * The first argument that names a command, when it names none: every argument before the command is an option of
   * {@code pretext} itself ({@code --help}, {@code --version}), so the first one not starting with {@code -} is the
   * command. Null when it is a known command or there is none. Checked before picocli parses: with {@code --help}
   * anywhere, picocli would print the general help and succeed.
   */
  static String unknownCommand(CommandLine cli, String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return cli.getSubcommands().containsKey(a) ? null : a;
      }
    }
    return null;
  }

  /**
   * The command list of {@code pretext --help}: one heading per group of {@link #GROUPS}, each command with the first
   * line of its description, in picocli's two-column layout. A command in no group is listed under "Other", so a new
   * command is never left out of the help.
   */
  static final class GroupedCommands implements CommandLine.IHelpSectionRenderer {
    @Override
    public String render(Help help) {
      Map<String, CommandLine> commands = help.commandSpec().subcommands();
      if (commands.isEmpty()) {
        return "";
      }
      Map<String, List<String>> groups = new LinkedHashMap<>(GROUPS);
      List<String> other = new ArrayList<>(commands.keySet());
      GROUPS.values().forEach(other::removeAll);
      if (!other.isEmpty()) {
        groups.put("Other", other);
      }
      int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
      StringBuilder out = new StringBuilder();
      for (Map.Entry<String, List<String>> group : groups.entrySet()) {
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(), new Help.Column(nameWidth + 2, 2, Help.Column.Overflow.SPAN),
            new Help.Column(help.commandSpec().usageMessage().width() - nameWidth - 2, 2, Help.Column.Overflow.WRAP));
        for (String name : group.getValue()) {
          CommandLine command = commands.get(name);
          if (command != null) {
            table.addRowValues(help.colorScheme().commandText(name), help.colorScheme().text(summary(command.getCommandSpec())));
          }
        }
        out.append(help.createHeading("%n" + group.getKey() + ":%n")).append(table);
      }
      return out.toString();
    }

    /** What picocli's own list shows: the header's first line, else the description's. */
    private static String summary(CommandSpec spec) {
      String[] header = spec.usageMessage().header();
      String[] description = spec.usageMessage().description();
      return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    }
  }

  /** {@code pretext <version> (git <commit>)}, from the build's properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pretext " + Provenance.versions().get("pretext") + " (git " + Provenance.gitCommit() + ")"};
    }
  }
}
