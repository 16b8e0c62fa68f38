package io.pretext.jobs.cli;

import io.pretext.data.spark.SparkSessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options shared by every Spark command. Under spark-submit these are rarely needed: the
 * submission already says where to run. Run directly, the default is local mode on all cores.
 */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (local[N], spark://host:7077, yarn, k8s://...). Default: the spark-submit master, else local[*].")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration, repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  public SparkSession session(String appName) {
    Map<String, String> overrides = new LinkedHashMap<>(conf);
    if (master != null) {
      overrides.put("spark.master", master);
    }
    return SparkSessions.create(appName, overrides);
  }
}
