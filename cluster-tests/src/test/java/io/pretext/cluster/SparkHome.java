package io.pretext.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@code $SPARK_HOME} built from Maven: {@code jars/} holds the Spark 3.5.9 jars Maven resolved (copied by the
 * dependency plugin in pre-integration-test), and this class adds what the distribution's tarball has besides,
 * as small stand-ins: {@code bin/spark-class} and {@code bin/spark-submit} (they ask Spark's own launcher,
 * {@code org.apache.spark.launcher.Main}, for the command and run it, as the real scripts do) and a quiet
 * {@code conf/log4j2.properties}.
 */
final class SparkHome {
  private static final String SPARK_CLASS = """
      #!/usr/bin/env bash
      # Stand-in for Spark's bin/spark-class (the distribution's scripts are not on Maven Central): Spark's launcher
      # prints the command, NUL-separated, and this script runs it, like the real one. SPARK_SCALA_VERSION is what
      # the distribution's load-spark-env.sh exports; the launcher fails with "Cannot find any build directories"
      # without it.
      set -euo pipefail
      export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
      export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.12}"
      RUNNER="${JAVA_HOME:+$JAVA_HOME/bin/}java"
      CMD=()
      # The launcher's output: messages, a NUL, a newline, then the command's words, each ended by a NUL.
      i=0
      while IFS= read -r -d '' arg; do
        if (( i == 0 )); then
          [[ -z "$arg" ]] || printf '%s\n' "$arg" >&2
        else
          (( i > 1 )) || arg="${arg#$'\n'}"
          CMD+=("$arg")
        fi
        i=$(( i + 1 ))
      done < <("$RUNNER" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@")
      [[ ${#CMD[@]} -gt 0 ]] || { echo "spark-class: the launcher printed no command" >&2; exit 1; }
      exec "${CMD[@]}"
      """;
  private static final String SPARK_SUBMIT = """
      #!/usr/bin/env bash
      # Stand-in for Spark's bin/spark-submit: the same one line.
      exec "$(cd "$(dirname "$0")" && pwd)/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
      """;
  private static final String LOG4J = """
      rootLogger.level = warn
      rootLogger.appenderRef.stderr.ref = console
      appender.console.type = Console
      appender.console.name = console
      appender.console.target = SYSTEM_ERR
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
      logger.pretext.name = io.pretext
      logger.pretext.level = info
      logger.master.name = org.apache.spark.deploy
      logger.master.level = info
      """;

  private SparkHome() {}

  /** The Spark home, with bin/ and conf/ written; fails if Maven did not lay out jars/. */
  static Path prepare() {
    Path home = ClusterEnv.sparkHome();
    Path jars = home.resolve("jars");
    try (Stream<Path> list = Files.list(jars)) {
      if (list.noneMatch(p -> p.getFileName().toString().startsWith("spark-core_2.12-"))) {
        throw new IllegalStateException(jars + " has no spark-core jar; run the tier through mvn verify");
      }
      Files.createDirectories(home.resolve("bin"));
      Files.createDirectories(home.resolve("conf"));
      script(home.resolve("bin/spark-class"), SPARK_CLASS);
      script(home.resolve("bin/spark-submit"), SPARK_SUBMIT);
      Files.writeString(home.resolve("conf/log4j2.properties"), LOG4J);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + home, e);
    }
    return home;
  }

  /** The environment every Spark process of the tier gets: the home, Scala version, loopback only. */
  static Map<String, String> env(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", ClusterEnv.LOOPBACK);
    env.put("SPARK_LOCAL_HOSTNAME", ClusterEnv.LOOPBACK);
    env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
    return env;
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
