package io.pretext.data.testing;

import io.pretext.data.spark.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark local[2] session for the whole test JVM (Spark allows one active context per JVM;
 * starting one costs seconds). Created lazily with Pretext's real configuration (Kryo and the
 * project registrator), stopped by a shutdown hook.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSessions.create("pretext-tests", Map.of(
          "spark.master", "local[2]",
          "spark.ui.enabled", "false",
          "spark.sql.shuffle.partitions", "4",
          "spark.default.parallelism", "2"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}
