package io.pretext.jobs.cli;

import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of an option group (a picocli mixin) with the value it holds after parsing and resolution, by its
 * longest name: lists joined with commas, an unset option as the empty string. This is how run.json records a run's
 * configuration and how {@code --resume} compares it, with no list of keys kept by hand.
 */
final class OptionValues {
  private OptionValues() {}

  static SortedMap<String, String> of(CommandSpec group) {
    SortedMap<String, String> out = new TreeMap<>();
    for (OptionSpec option : group.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      out.put(option.longestName(), text(option.getValue()));
    }
    return out;
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof java.util.Map<?, ?> m) {
      return new TreeMap<>(m).toString();
    }
    return String.valueOf(value);
  }
}
