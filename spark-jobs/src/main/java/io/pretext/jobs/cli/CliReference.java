package io.pretext.jobs.cli;

import io.pretext.data.batches.BatchFactories;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md, rendered from the commands' own picocli definitions: every command, its description and every option
 * with its default and help text; for {@code pretrain} (and {@code demo}) the options of every registered method and of
 * the recipe of each modality. A test compares the file with this rendering, so the reference cannot drift from the
 * code; {@link #main} rewrites it.
 */
public final class CliReference {
  private CliReference() {}

  /** Writes the reference to {@code args[0]} (default {@code docs/cli.md}). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/cli.md");
    Files.writeString(out, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The whole reference. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Command-line reference\n\n");
    md.append("Rendered from the commands' own definitions (`io.pretext.jobs.cli.CliReference`); `CliReferenceTest` fails when\n")
        .append("this file and the code differ. Regenerate it with\n")
        .append("`java -cp \"spark-jobs/target/classes:$(cat spark-jobs/target/classpath.txt)\" io.pretext.jobs.cli.CliReference`.\n\n")
        .append("`bin/pretext <command> [options]`, or `spark-submit ... --class io.pretext.jobs.cli.PretextCli <job jar> <command>\n")
        .append("[options]`. Every command validates its options before any Spark work and ends with one JSON line on stdout\n")
        .append("(`\"status\": \"ok\" | \"usage\" | \"failed\"`); a bad value exits 2 with a message naming the option, the value and what\n")
        .append("is allowed, a failed job exits 1. Progress goes to stderr.\n\n");
    CommandLine root = new CommandLine(PretextCli.class);
    md.append("Commands:");
    for (String name : root.getSubcommands().keySet()) {
      md.append(" [`").append(name).append("`](#").append(name).append(")");
    }
    md.append("\n\n");
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      String name = e.getKey();
      // a command whose options depend on the method (finetune's method and recipe options) shown as it runs
      CommandLine installed = new CommandLine(PretextCli.class);
      if (!name.equals("pretrain") && !name.equals("demo") && !name.equals("show-views")) {
        MethodSelection.install(installed, new String[] {name});
      }
      CommandSpec spec = installed.getSubcommands().get(name).getCommandSpec();
      md.append("## ").append(name).append("\n\n");
      for (String line : spec.usageMessage().description()) {
        md.append(line.isEmpty() ? "\n" : line + "\n");
      }
      md.append("\n");
      md.append(table(spec.options(), spec.defaultValueProvider()));
      if (name.equals("pretrain")) {
        md.append(methods());
      }
    }
    return md.toString();
  }

  /** Each registered method's own options, then each modality's recipe options, as {@code pretrain --method NAME} adds them. */
  private static String methods() {
    StringBuilder md = new StringBuilder();
    Map<String, List<OptionSpec>> recipes = new LinkedHashMap<>();
    for (MethodProvider p : Methods.all()) {
      CommandLine root = new CommandLine(PretextCli.class);
      MethodSelection.install(root, new String[] {"pretrain", "--method", p.name()});
      CommandSpec pretrain = root.getSubcommands().get("pretrain").getCommandSpec();
      md.append("### pretrain --method ").append(p.name()).append("\n\n").append(p.summary()).append(" ")
          .append(p.dataKind().toString().toLowerCase(java.util.Locale.ROOT)).append(" datasets")
          .append(p.isDefaultForKind() ? "; the default for them" : "").append(".\n\n");
      md.append(table(pretrain.mixins().get(MethodSelection.METHOD).options(), null));
      String recipe = BatchFactories.forMethod(p).getClass().getSimpleName();
      recipes.putIfAbsent(recipe + " (" + p.dataKind().toString().toLowerCase(java.util.Locale.ROOT) + " methods)",
          pretrain.mixins().get(MethodSelection.RECIPE).options());
    }
    for (Map.Entry<String, List<OptionSpec>> r : recipes.entrySet()) {
      md.append("### pretrain recipe options of ").append(r.getKey()).append("\n\n").append(table(r.getValue(), null));
    }
    return md.toString();
  }

  /** @param defaults the command's default value provider, which overrides the options' own defaults; null if none */
  private static String table(List<OptionSpec> options, CommandLine.IDefaultValueProvider defaults) {
    List<OptionSpec> shown = new ArrayList<>();
    for (OptionSpec o : options) {
      if (!o.hidden()) {
        shown.add(o);
      }
    }
    if (shown.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
    for (OptionSpec o : shown) {
      String names = String.join(", ", o.names());
      String label = o.arity().max() == 0 ? "" : " " + o.paramLabel();
      String value = o.defaultValue();
      try {
        String provided = defaults == null ? null : defaults.defaultValue(o);
        value = provided != null ? provided : value;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      String def = value == null ? "" : "`" + value + "`";
      String text = String.join(" ", o.description()).replace("|", "\\|");
      md.append("| `").append(names).append(label.replace("|", "\\|")).append("` | ").append(def).append(" | ").append(text).append(" |\n");
    }
    return md.append("\n").toString();
  }
}
