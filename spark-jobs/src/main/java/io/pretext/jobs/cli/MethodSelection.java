package io.pretext.jobs.cli;

import io.pretext.data.batches.BatchFactories;
import io.pretext.data.batches.RecipeOptions;
import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import io.pretext.model.method.maskedlm.MaskedLm;
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
  static final String DEFAULT_METHOD = "simclr";

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
        spec.addMixin(METHOD, CommandSpec.forAnnotatedObject(method.newOptions()));
        spec.addMixin(RECIPE, CommandSpec.forAnnotatedObject(BatchFactories.forMethod(method).newRecipeOptions()));
        spec.usageMessage().footer(footer());
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
   * caller allows repeated options), else the default: {@code mlm} for {@code demo --text}, else {@value #DEFAULT_METHOD}.
   */
  static String methodName(String[] args) {
    // The text demo trains the masked-LM unless told otherwise.
    String name = args.length > 0 && args[0].equals("demo") && List.of(args).contains("--text") ? MaskedLm.NAME : DEFAULT_METHOD;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--method") && i + 1 < args.length) {
        name = args[i + 1];
      } else if (args[i].startsWith("--method=")) {
        name = args[i].substring("--method=".length());
      }
    }
    return name;
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
      lines.add(String.format(Locale.ROOT, "  %-8s %s [%s data]", p.name(), p.summary(), p.dataKind()));
    }
    return lines.toArray(String[]::new);
  }
}
