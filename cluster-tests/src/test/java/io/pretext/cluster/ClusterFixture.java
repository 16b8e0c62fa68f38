package io.pretext.cluster;

import java.nio.file.Path;

/**
 * The parts every integration test shares, started once per test JVM on first use and stopped by a shutdown hook
 * (processes are also killed by {@link Launched}'s own hook and watchdog): the Spark home, an HDFS mini cluster and
 * a standalone cluster of two one-core workers.
 */
final class ClusterFixture {
  /** Worker memory: one executor of 1 GB heap fits, and the machine keeps room for the driver and other builds. */
  static final String WORKER_MEMORY = "1536m";
  private static ClusterFixture shared;

  final Path home;
  final Path work;
  final MiniHdfs hdfs;
  final StandaloneCluster cluster;

  private ClusterFixture(Path home, Path work, MiniHdfs hdfs, StandaloneCluster cluster) {
    this.home = home;
    this.work = work;
    this.hdfs = hdfs;
    this.cluster = cluster;
  }

  static synchronized ClusterFixture get() {
    if (shared == null) {
      Path home = SparkHome.prepare();
      Path work = ClusterEnv.workDir();
      MiniHdfs hdfs = MiniHdfs.start(work.resolve("hdfs"));
      StandaloneCluster cluster;
      try {
        cluster = StandaloneCluster.start(home, work, 2, WORKER_MEMORY);
      } catch (RuntimeException | Error e) {
        hdfs.close();
        throw e;
      }
      shared = new ClusterFixture(home, work, hdfs, cluster);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        cluster.close();
        hdfs.close();
      }));
    }
    return shared;
  }

  /** A submitter to the standalone master, with the event log in {@code work/events}. */
  Submit submit() {
    try {
      java.nio.file.Files.createDirectories(work.resolve("events"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Submit(home, work.resolve("submit-logs"), cluster.masterUrl())
        .conf("spark.eventLog.enabled", "true")
        .conf("spark.eventLog.dir", work.resolve("events").toUri().toString())
        .conf("spark.hadoop.fs.defaultFS", hdfs.uri());
  }

  /** A submitter in Spark local mode (a driver JVM alone), for faults that concern the driver. */
  Submit local(int cores) {
    return new Submit(home, work.resolve("submit-logs"), "local[" + cores + "]")
        .conf("spark.eventLog.enabled", "false");
  }
}
