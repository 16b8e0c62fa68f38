package io.pretext.jobs.pretrain;

import io.pretext.data.batches.BatchFactories;
import io.pretext.data.batches.BatchRecipe;
import io.pretext.data.batches.RecipeOptions;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.GraphSettings;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.Methods;
import io.pretext.model.method.SslMethod;
import io.pretext.model.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Rebuilds a run's method from its run.json, through the registry and the method's own options: the recorded option
 * values are parsed by a fresh {@link MethodOptions}, exactly as the command line was. Used for the random-init
 * baseline (the run's architecture with fresh weights) and by tools that need the method of a checkpoint; the
 * {@link #recipe recipe} is rebuilt the same way (the report draws a run's own views).
 */
public final class MethodRebuild {
  private MethodRebuild() {}

  /**
   * The method of {@code info}.
   *
   * @throws RunException if the method is not registered in this version or its recorded options no longer parse
   */
  public static SslMethod method(RunInfo info) {
    MethodOptions options;
    try {
      options = Methods.byName(info.method()).newOptions();
    } catch (IllegalArgumentException e) {
      throw new RunException("the run's method '" + info.method() + "' is not available in this version (" + e.getMessage() + ")", e);
    }
    SortedMap<String, String> recorded = parse(options, info, "method");
    try {
      return options.toMethod();
    } catch (IllegalArgumentException e) {
      throw new RunException("cannot rebuild method " + info.method() + " from run.json options " + recorded + ": " + e.getMessage(), e);
    }
  }

  /**
   * The batch recipe of {@code info} (for an image method: the per-view settings that trained), parsed from the
   * recorded {@code recipe} group by a fresh {@link RecipeOptions} of the factory that serves the method, with the
   * method's preset where nothing was recorded (a format-1 run.json).
   *
   * @throws RunException if the method is not registered or the recorded options no longer parse
   */
  public static BatchRecipe recipe(RunInfo info) {
    SslMethod method = method(info);
    RecipeOptions options = BatchFactories.forMethod(method).newRecipeOptions();
    SortedMap<String, String> recorded = parse(options, info, "recipe");
    try {
      return options.toRecipe(method);
    } catch (IllegalArgumentException e) {
      throw new RunException("cannot rebuild the " + info.method() + " recipe from run.json options " + recorded + ": " + e.getMessage(), e);
    }
  }

  /** Parses the recorded options of {@code group} into {@code options}, as the command line was; returns them. */
  private static SortedMap<String, String> parse(Object options, RunInfo info, String group) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(options);
    SortedMap<String, String> recorded = new TreeMap<>(info.group(group));
    // A format-1 run.json recorded every option in one flat group: take the ones this group declares.
    for (Map.Entry<String, String> e : info.group(RunInfo.VERSION_1_GROUP).entrySet()) {
      if (spec.findOption(e.getKey()) != null) {
        recorded.put(e.getKey(), e.getValue());
      }
    }
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> e : recorded.entrySet()) {
      if (spec.findOption(e.getKey()) != null && !e.getValue().isEmpty()) {
        args.add(e.getKey());
        args.add(e.getValue());
      }
    }
    try {
      new CommandLine(spec).parseArgs(args.toArray(String[]::new));
      return recorded;
    } catch (CommandLine.ParameterException e) {
      throw new RunException("cannot parse the " + group + " options of run.json for " + info.method() + " " + recorded + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * A freshly initialised network of the run's architecture (method, encoder, heads and input from run.json), seeded
   * with {@code seed}: the random-init baseline.
   */
  public static ComputationGraph randomInit(RunInfo info, long seed) {
    // The optimiser is irrelevant for a frozen encoder, but the graph builder needs one.
    return method(info).build(Encoders.byName(info.encoder()), info.input().toModelInput(),
        GraphSettings.of(seed, OptimizerConfig.adam(1e-3, 0, 1)));
  }
}
