package io.pretext.data.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Executors get one native thread per task core, unless the submission says otherwise. */
class SparkSessionsTest {
  @Test
  void executorsGetOneNativeThreadPerTaskCore() {
    SparkConf conf = SparkSessions.conf("t", Map.of("spark.master", "spark://127.0.0.1:7077", "spark.task.cpus", "2"));
    for (String v : SparkSessions.NATIVE_THREAD_VARIABLES) {
      assertEquals("2", conf.get("spark.executorEnv." + v), v);
    }
  }

  @Test
  void defaultIsOneThreadAndAUserSettingIsKept() {
    SparkConf conf = SparkSessions.conf("t", Map.of("spark.master", "spark://127.0.0.1:7077", "spark.executorEnv.OMP_NUM_THREADS", "3"));
    assertEquals("3", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
    assertEquals("1", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
    assertEquals("1", conf.get("spark.executorEnv.SD_MAX_THREADS"));
  }
}
