package io.pretext.data.spark;

import java.util.Map;
import io.pretext.model.backend.LayerHelpers;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the Spark session every Pretext command runs in. Under {@code spark-submit} the master
 * and resources come from the submission; run directly (bin/pretext, tests, an IDE) with no
 * {@code spark.master} set, it uses local mode on every core, the embedded default.
 *
 * <p>Always set: Kryo with {@link PretextKryoRegistrator} (ND4J arrays are off-heap and must go
 * through ND4J's serializers), a Kryo buffer large enough for a minibatch of images.
 */
public final class SparkSessions {
  public static final String DEFAULT_MASTER = "local[*]";
  static final String DL4J_TIME_SOURCE = "org.deeplearning4j.spark.time.TimeSource";
  static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

  private SparkSessions() {}

  private static void executorProperty(SparkConf conf, String key, String value) {
    String opts = conf.get("spark.executor.extraJavaOptions", "");
    if (!opts.contains("-D" + key + "=")) {
      conf.set("spark.executor.extraJavaOptions", (opts + " -D" + key + "=" + value).trim());
    }
  }

  /** A session for {@code appName}; {@code overrides} win over everything else (tests use them for local[2]). */
  public static SparkSession create(String appName, Map<String, String> overrides) {
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
    // DL4J's training statistics time events with an NTP clock by default, which queries
    // pool.ntp.org; clusters without internet access fail. Use the local clock everywhere.
    System.setProperty(DL4J_TIME_SOURCE, SYSTEM_CLOCK);
    executorProperty(conf, DL4J_TIME_SOURCE, SYSTEM_CLOCK);
    // oneDNN layer helpers (model-core's LayerHelpers): DL4J picks a layer's helper when the layer
    // is constructed, in the driver and in every executor, so executors get the switch too.
    LayerHelpers.enableByDefault();
    executorProperty(conf, LayerHelpers.DISABLE_PROPERTY, System.getProperty(LayerHelpers.DISABLE_PROPERTY));
    overrides.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
