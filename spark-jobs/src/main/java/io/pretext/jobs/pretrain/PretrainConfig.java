package io.pretext.jobs.pretrain;

import io.pretext.data.batches.BatchRecipe;
import io.pretext.model.method.SslMethod;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A validated pretraining job, in groups: where it runs ({@link RunConfig}), the generic training settings
 * ({@link TrainingConfig}), the method (with its own validated configuration) and the batch factory's recipe (view
 * recipes or masking). {@code options} records every option of every group as the job resolved it, by group (see
 * {@link io.pretext.jobs.run.RunInfo}); it is what run.json keeps and what {@code --resume} compares.
 */
public record PretrainConfig(RunConfig run, TrainingConfig training, SslMethod method, BatchRecipe recipe,
    SortedMap<String, SortedMap<String, String>> options) {

  public PretrainConfig {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(recipe, "recipe");
    SortedMap<String, SortedMap<String, String>> copy = new TreeMap<>();
    options.forEach((group, values) -> copy.put(group, Collections.unmodifiableSortedMap(new TreeMap<>(values))));
    options = Collections.unmodifiableSortedMap(copy);
  }

  /** The same job on another dataset and run directory (the demo's); the {@code run} group follows. */
  public PretrainConfig at(String data, String runDir) {
    SortedMap<String, SortedMap<String, String>> o = new TreeMap<>(options);
    SortedMap<String, String> group = new TreeMap<>(o.getOrDefault(io.pretext.jobs.run.RunInfo.RUN_GROUP, new TreeMap<>()));
    group.put("--data", data);
    group.put("--run", runDir);
    o.put(io.pretext.jobs.run.RunInfo.RUN_GROUP, group);
    return new PretrainConfig(run.at(data, runDir), training, method, recipe, o);
  }
}
