package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs {@code pretext} commands through the real entry point, for tests of other packages. */
public final class CliRunner {
  private CliRunner() {}

  /** Exit code, stdout and stderr of one command. */
  public record Outcome(int code, String out, String err) {
    /** The last stdout line, parsed. */
    public JsonNode json() {
      return new PretextCliTest.Outcome(code, out, err).json();
    }
  }

  public static Outcome run(String... args) {
    PretextCliTest.Outcome o = PretextCliTest.run(args);
    return new Outcome(o.code(), o.out(), o.err());
  }
}
