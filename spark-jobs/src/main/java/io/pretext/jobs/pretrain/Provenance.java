package io.pretext.jobs.pretrain;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/** Versions and the source commit, recorded in every run.json. */
public final class Provenance {
  private static final Properties BUILD = load();

  private Provenance() {}

  public static SortedMap<String, String> versions() {
    SortedMap<String, String> v = new TreeMap<>();
    v.put("pretext", BUILD.getProperty("pretext.version", "unknown"));
    v.put("dl4j", BUILD.getProperty("dl4j.version", "unknown"));
    v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    v.put("java", System.getProperty("java.version"));
    v.put("nd4jBackend", BUILD.getProperty("nd4j.backend", "unknown") + ":" + BUILD.getProperty("nd4j.classifier", ""));
    return v;
  }

  /** The git commit the jar was built from (written at build time), or {@code unknown}. */
  public static String gitCommit() {
    return BUILD.getProperty("git.commit", "unknown");
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("/pretext-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Provenance is best effort: a missing file leaves "unknown".
    }
    return p;
  }
}
