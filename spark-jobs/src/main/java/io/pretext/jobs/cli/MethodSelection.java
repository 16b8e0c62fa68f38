package io.pretext.jobs.cli;

import io.pretext.data.batches.BatchFactories;
import io.pretext.data.batches.RecipeOptions;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.model.DatasetKind;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.finetune.FineTune;
import io.pretext.model.method.finetune.TextFineTune;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Gives {@code pretrain}, {@code demo} and {@code show-views} the options of the method named by {@code --method}:
 * before the command line is parsed, the method's {@link MethodOptions} (declared in its package) and the recipe
 * options of the batch factory that serves it ({@link RecipeOptions}) are added to the command as mixins named
 * {@value #METHOD} and {@value #RECIPE}. A new method therefore brings its options without a change here, and option
 * names of different methods (each has its own {@code --projection-dim}) never collide.
 */
final class MethodSelection {
  static final String METHOD = "method";
  static final String RECIPE = "recipe";

  private MethodSelection() {}

  /**
   * Installs the mixins into the subcommand {@code args[0]} if it trains or shows views.
   *
   * @throws IllegalArgumentException if {@code --method} names no registered method
   */
  static void install(CommandLine root, String[] args) {
    if (args.length == 0) {
      return;
    }
    CommandLine sub = root.getSubcommands().get(args[0]);
    if (sub == null) {
      return;
    }
    CommandSpec spec = sub.getCommandSpec();
    switch (args[0]) {
      case "pretrain", "demo" -> {
        MethodProvider method = Methods.byName(methodName(args));
        if (!method.pretrains()) {
          throw OptionCheck.invalid("--method", method.name(), Methods.names() + " (" + method.name() + " is trained by pretext "
              + method.name() + ")");
        }
        spec.addMixin(METHOD, CommandSpec.forAnnotatedObject(method.newOptions()));
        spec.addMixin(RECIPE, CommandSpec.forAnnotatedObject(BatchFactories.forMethod(method).newRecipeOptions()));
        spec.usageMessage().footer(footer());
      }
      case "finetune" -> {
        MethodProvider method = Methods.byName(kindOf(args) == DatasetKind.TEXT ? TextFineTune.NAME : FineTune.NAME);
        spec.addMixin(METHOD, CommandSpec.forAnnotatedObject(method.newOptions()));
        spec.addMixin(RECIPE, CommandSpec.forAnnotatedObject(BatchFactories.forMethod(method).newRecipeOptions()));
        spec.remove(spec.findOption("--method"));
      }
      case "show-views" -> {
        MethodProvider method = Methods.byName(methodName(args));
        spec.addMixin(RECIPE, CommandSpec.forAnnotatedObject(BatchFactories.forMethod(method).newRecipeOptions()));
      }
      default -> {
      }
    }
  }

  /**
   * The value of {@code --method} in {@code args} ({@code --method X} or {@code --method=X}; the last one where a
   * caller allows repeated options), else the registry's default method for the kind of data the command trains on
   * ({@link Methods#defaultFor}): text for {@code demo --text} and for {@code pretrain} on a text dataset
   * ({@code --data}'s manifest, when it can be read), images otherwise.
   */
  static String methodName(String[] args) {
    String name = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--method") && i + 1 < args.length) {
        name = args[i + 1];
      } else if (args[i].startsWith("--method=")) {
        name = args[i].substring("--method=".length());
      }
    }
    return name != null ? name : Methods.defaultFor(kindOf(args)).name();
  }

  /** The kind of data a command line trains on, as far as can be told before parsing it. */
  private static DatasetKind kindOf(String[] args) {
    List<String> list = List.of(args);
    if (args.length > 0 && args[0].equals("demo") && list.contains("--text")) {
      return DatasetKind.TEXT;
    }
    String data = args.length > 0 && args[0].equals("finetune") ? valueOf(args, "--train") : valueOf(args, "--data");
    if (args.length > 0 && (args[0].equals("pretrain") || args[0].equals("finetune")) && data != null) {
      try {
        return PreparedDataset.open(data, new org.apache.hadoop.conf.Configuration()).kind();
      } catch (RuntimeException unreadable) {
        return DatasetKind.IMAGE; // the job reports the dataset's problem when it opens it
      }
    }
    return DatasetKind.IMAGE;
  }

  private static String valueOf(String[] args, String option) {
    String value = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(option) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith(option + "=")) {
        value = args[i].substring(option.length() + 1);
      }
    }
    return value;
  }

  static MethodOptions methodOptions(CommandSpec spec) {
    return (MethodOptions) spec.mixins().get(METHOD).userObject();
  }

  static RecipeOptions recipeOptions(CommandSpec spec) {
    return (RecipeOptions) spec.mixins().get(RECIPE).userObject();
  }

  /** The registered methods, one line each, for {@code --help}. */
  static String[] footer() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Methods (--method NAME; `--method NAME --help` lists a method's own options):");
    for (MethodProvider p : Methods.all()) {
      SslMethod m = Methods.withDefaults(p.name());
      lines.add(String.format(Locale.ROOT, "  %-11s %s [%s data%s; %d epochs, lr %s by default]", p.name(), p.summary(), p.dataKind(),
          p.isDefaultForKind() ? ", the default" : "", m.trainingPreset().epochs(), m.trainingPreset().learningRate()));
    }
    return lines.toArray(String[]::new);
  }
}
