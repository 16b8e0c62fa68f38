package io.pretext.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.Methods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/cli.md is what the commands define: every command, every option with its default, the options of every
 * registered method. Regenerate it with {@link CliReference#main} when a command changes.
 */
class CliReferenceTest {

  @Test
  void theDocumentIsTheCommandsOwnReference() throws IOException {
    String generated = CliReference.markdown();
    String onDisk = Files.readString(Path.of("..", "docs", "cli.md"));
    assertEquals(generated, onDisk, "docs/cli.md differs from the commands: regenerate it with CliReference.main");
    for (MethodProvider p : Methods.all()) {
      assertTrue(generated.contains("### pretrain --method " + p.name()), "a section for " + p.name());
    }
    assertTrue(generated.contains("`--queue-size <queueSize>` | `4096`"), "MoCo's option with its default");
  }
}
