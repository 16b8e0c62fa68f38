package io.pretext.data.spark;

import io.pretext.model.backend.LayerHelpers;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the Spark session every Pretext command runs in. Under {@code spark-submit} the master
 * and resources come from the submission; run directly (bin/pretext, tests, an IDE) with no
 * {@code spark.master} set, it uses local mode on every core, the embedded default.
 *
 * <p>Always set: Kryo with {@link PretextKryoRegistrator} (ND4J arrays are off-heap and must go
 * through ND4J's serializers), a Kryo buffer large enough for a minibatch of images, and one native thread per task
 * core in executors ({@link #executorThreads}).
 */
public final class SparkSessions {
  public static final String DEFAULT_MASTER = "local[*]";
  /** Environment variables that size native thread pools in an executor (read by libnd4j, OpenMP, OpenBLAS, MKL). */
  public static final java.util.List<String> NATIVE_THREAD_VARIABLES =
      java.util.List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "SD_MAX_THREADS", "SD_MASTER_THREADS");

  private SparkSessions() {}

  private static void executorProperty(SparkConf conf, String key, String value) {
    String opts = conf.get("spark.executor.extraJavaOptions", "");
    if (!opts.contains("-D" + key + "=")) {
      conf.set("spark.executor.extraJavaOptions", (opts + " -D" + key + "=" + value).trim());
    }
  }

  /** A session for {@code appName}; {@code overrides} win over everything else (tests use them for local[2]). */
  public static SparkSession create(String appName, Map<String, String> overrides) {
    return SparkSession.builder().config(conf(appName, overrides)).getOrCreate();
  }

  /** The configuration {@link #create} starts a session with: the submission's settings, Pretext's, then {@code overrides}. */
  static SparkConf conf(String appName, Map<String, String> overrides) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
      conf.set("spark.ui.showConsoleProgress", "false");
    }
    conf.setAppName(appName);
    conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.set("spark.kryo.registrator", PretextKryoRegistrator.class.getName());
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    // oneDNN layer helpers (model-core's LayerHelpers): DL4J picks a layer's helper when the layer
    // is constructed, in the driver and in every executor, so executors get the switch too.
    LayerHelpers.enableByDefault();
    executorProperty(conf, LayerHelpers.DISABLE_PROPERTY, System.getProperty(LayerHelpers.DISABLE_PROPERTY));
    overrides.forEach(conf::set);
    executorThreads(conf);
    return conf;
  }

  /**
   * One native thread per task core in every executor: {@code spark.task.cpus} threads for OpenMP (libnd4j and
   * oneDNN), OpenBLAS, MKL and libnd4j's own pools ({@code SD_MAX_THREADS}, {@code SD_MASTER_THREADS}), through
   * {@code spark.executorEnv}. Without it each concurrent task of an executor starts as many threads as the machine
   * has cores, and {@code cores x cores} threads thrash. A value the submission already sets is kept. Local mode has no
   * executors; there {@code PretrainJob} divides the driver's cores among the workers instead.
   */
  static void executorThreads(SparkConf conf) {
    String threads = Integer.toString(Math.max(1, conf.getInt("spark.task.cpus", 1)));
    for (String variable : NATIVE_THREAD_VARIABLES) {
      conf.setIfMissing("spark.executorEnv." + variable, threads);
    }
  }
}
