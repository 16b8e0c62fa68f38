package io.pretext.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code pretext} command submitted the way a user submits it: {@code deploy/spark/pretext-submit} (the
 * project's wrapper) over {@code $SPARK_HOME/bin/spark-submit}, which runs {@code org.apache.spark.deploy.SparkSubmit}
 * with the job jar. The driver runs in client mode in that process; everything binds to 127.0.0.1.
 */
final class Submit {
  private final Path home;
  private final Path logs;
  private final String master;
  private final Map<String, String> conf = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  Submit(Path home, Path logs, String master) {
    this.home = home;
    this.logs = logs;
    this.master = master;
    conf.put("spark.driver.host", ClusterEnv.LOOPBACK);
    conf.put("spark.driver.bindAddress", ClusterEnv.LOOPBACK);
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.driver.memory", "1g");
    conf.put("spark.executor.memory", "1g");
    // ND4J off-heap of the tier's small models; pretext-submit derives spark.executor.memoryOverhead from it
    env.put("PRETEXT_EXECUTOR_OFFHEAP", "1g");
    env.put("PRETEXT_DRIVER_OFFHEAP", "1g");
    // Sized for two one-core executors: Spark SQL's default of 200 shuffle partitions is 200 tasks per shuffle.
    conf.put("spark.sql.shuffle.partitions", "4");
    conf.put("spark.default.parallelism", "2");
    conf.put("spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "10");
    conf.put("spark.network.timeout", "60s");
    conf.put("spark.executor.heartbeatInterval", "5s");
  }

  Submit conf(String key, String value) {
    conf.put(key, value);
    return this;
  }

  Submit env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Starts {@code pretext args...}; the caller waits for it or kills it. */
  Launched start(String name, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterEnv.repoRoot().resolve("deploy/spark/pretext-submit").toString());
    cmd.add("--master");
    cmd.add(master);
    conf.forEach((k, v) -> {
      cmd.add("--conf");
      cmd.add(k + "=" + v);
    });
    cmd.addAll(args);
    Map<String, String> e = SparkHome.env(home);
    e.put("PRETEXT_JOB_JAR", ClusterEnv.jobJar().toString());
    e.putAll(env);
    return Launched.start(name, cmd, e, logs);
  }

  /** Runs {@code pretext args...} to the end; returns the result, whatever the exit code. */
  Result run(String name, Duration timeout, String... args) {
    Launched l = start(name, List.of(args));
    int code = l.waitFor(timeout);
    return new Result(name, code, l.jsonLine().orElse(""), l.err());
  }

  /** Exit code, the closing JSON line, and the driver's stderr (progress and logs). */
  record Result(String name, int exitCode, String json, String stderr) {
    Result ok() {
      if (exitCode != 0 || !json.contains("\"status\":\"ok\"")) {
        throw new AssertionError(name + " exited " + exitCode + " with " + json + "\nstderr tail:\n"
            + String.join("\n", stderr.lines().skip(Math.max(0, stderr.lines().count() - 80)).toList()));
      }
      return this;
    }
  }
}
