package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/training.md's {@code pretrain} option tables state the defaults the command really has: each row names one or more
 * options and as many comma-separated defaults ("none", "off" and "preset" stand for options without a value default;
 * "preset" ones take the method's view preset). Method options are looked up in every registered method's command.
 */
class TrainingDocDefaultsTest {
  private static final Pattern OPTION = Pattern.compile("`(--[a-z-]+)");

  /** Rows of a method's own table follow a line that starts with {@code *Method `NAME`}. */
  private static final Pattern METHOD_TABLE = Pattern.compile("^\\*Method `([a-z0-9-]+)`.*");

  @Test
  void pretrainTablesMatchTheCommandsDefaults() throws IOException {
    Map<String, CommandSpec> byMethod = new HashMap<>();
    for (MethodProvider method : Methods.all()) {
      CommandLine root = new CommandLine(PretextCli.class);
      MethodSelection.install(root, new String[] {"pretrain", "--method", method.name()});
      byMethod.put(method.name(), root.getSubcommands().get("pretrain").getCommandSpec());
    }
    int checked = 0;
    Set<String> methodTables = new HashSet<>();
    String method = Methods.defaultFor(io.pretext.model.DatasetKind.IMAGE).name();
    boolean inSection = false;
    for (String line : Files.readAllLines(Path.of("..", "docs", "training.md"))) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## `pretrain`");
        continue;
      }
      Matcher table = METHOD_TABLE.matcher(line);
      if (inSection && table.matches()) {
        method = table.group(1);
        assertTrue(byMethod.containsKey(method), "README has a table for method " + method + ", which is not registered");
        methodTables.add(method);
        continue;
      }
      if (!inSection || !line.startsWith("| `--")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> names = new ArrayList<>();
      Matcher m = OPTION.matcher(cells[1]);
      while (m.find()) {
        names.add(m.group(1));
      }
      String defaults = cells[2].replace("`", "").strip();
      String[] values = defaults.split(",\\s*");
      assertEquals(names.size(), values.length, "README row has " + names + " but defaults " + defaults);
      for (int i = 0; i < names.size(); i++) {
        OptionSpec option = byMethod.get(method).findOption(names.get(i));
        assertNotNull(option, "README names " + names.get(i) + ", which pretrain --method " + method + " does not have");
        if (Set.of("none", "off", "preset").contains(values[i]) && !values[i].equals(option.defaultValue())) {
          assertTrue(option.defaultValue() == null, names.get(i) + ": the README says " + values[i] + ", the code's default is " + option.defaultValue());
        } else {
          assertNotNull(option.defaultValue(), names.get(i) + " has no default in the code; the README says " + values[i]);
          assertSameValue(names.get(i), option.defaultValue(), values[i]);
        }
        checked++;
      }
    }
    assertEquals(byMethod.keySet(), methodTables, "the README has a table of options for every registered method");
    assertTrue(checked >= 15, "only " + checked + " defaults checked");
  }

  private static void assertSameValue(String option, String code, String readme) {
    try {
      assertEquals(Double.parseDouble(code), Double.parseDouble(readme), 0.0,
          option + ": the code's default is " + code + ", the README says " + readme);
    } catch (NumberFormatException notNumbers) {
      assertEquals(code, readme, option + ": the code's default differs from the README's");
    }
  }
}
