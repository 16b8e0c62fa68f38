package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README's {@code pretrain} options table states the defaults the command really has: each row names one or
 * more options and as many comma-separated defaults ("none" and "off" stand for options without a value default).
 */
class ReadmeDefaultsTest {
  private static final Pattern OPTION = Pattern.compile("`(--[a-z-]+)");

  @Test
  void pretrainTableMatchesTheCommandsDefaults() throws IOException {
    CommandSpec pretrain = new CommandLine(PretextCli.class).getSubcommands().get("pretrain").getCommandSpec();
    List<String> rows = pretrainTableRows(Files.readAllLines(Path.of("..", "README.md")));
    assertTrue(rows.size() >= 10, "README's pretrain table not found or too short: " + rows);
    int checked = 0;
    for (String row : rows) {
      String[] cells = row.split("\\|");
      List<String> names = new ArrayList<>();
      Matcher m = OPTION.matcher(cells[1]);
      while (m.find()) {
        names.add(m.group(1));
      }
      String defaults = cells[2].replace("`", "").strip();
      if (defaults.equals("none") || defaults.equals("off")) {
        continue;
      }
      String[] values = defaults.split(",\\s*");
      assertEquals(names.size(), values.length, "README row has " + names + " but defaults " + defaults);
      for (int i = 0; i < names.size(); i++) {
        OptionSpec option = pretrain.findOption(names.get(i));
        assertNotNull(option, "README names " + names.get(i) + ", which pretrain does not have");
        assertSameValue(names.get(i), option.defaultValue(), values[i]);
        checked++;
      }
    }
    assertTrue(checked >= 15, "only " + checked + " defaults checked");
  }

  private static List<String> pretrainTableRows(List<String> lines) {
    List<String> rows = new ArrayList<>();
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("### ")) {
        inSection = line.equals("### `pretrain`");
      } else if (inSection && line.startsWith("| `--")) {
        rows.add(line);
      }
    }
    return rows;
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
