package io.pretext.jobs.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Helpers shared by the commands. */
final class Commands {
  private Commands() {}

  /** Builds a configuration, turning its validation failure into a usage error (exit code 2) before Spark starts. */
  static <T> T validated(CommandSpec spec, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
