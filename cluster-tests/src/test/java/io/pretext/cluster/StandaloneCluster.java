package io.pretext.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1: one {@code org.apache.spark.deploy.master.Master} and {@code n}
 * {@code org.apache.spark.deploy.worker.Worker} JVMs, each worker with one core and bounded memory, all on free
 * ports, started with {@code bin/spark-class} like {@code sbin/start-master.sh} does. Workers fork their executors
 * as children, in the worker's process group, so closing a worker also ends its executors.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Path logs;
  private final Launched master;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Launched> workers = new ArrayList<>();

  private StandaloneCluster(Path home, Path logs, Launched master, int masterPort, int masterUiPort) {
    this.home = home;
    this.logs = logs;
    this.master = master;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  static StandaloneCluster start(Path home, Path workDir, int workers, String workerMemory) {
    Path logs = workDir.resolve("cluster-logs");
    int port = ClusterEnv.freePort();
    int ui = ClusterEnv.freePort();
    Map<String, String> env = SparkHome.env(home);
    env.put("SPARK_DAEMON_MEMORY", "256m");
    Launched master = Launched.start("master", List.of(home.resolve("bin/spark-class").toString(),
        "org.apache.spark.deploy.master.Master", "--host", ClusterEnv.LOOPBACK, "--port", Integer.toString(port),
        "--webui-port", Integer.toString(ui)), env, logs);
    StandaloneCluster cluster = new StandaloneCluster(home, logs, master, port, ui);
    try {
      cluster.awaitWorkers(0, Duration.ofSeconds(60));
      for (int i = 0; i < workers; i++) {
        cluster.startWorker(i, workerMemory, workDir);
      }
      cluster.awaitWorkers(workers, Duration.ofSeconds(90));
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  String masterUrl() {
    return "spark://" + ClusterEnv.LOOPBACK + ":" + masterPort;
  }

  Launched worker(int i) {
    return workers.get(i);
  }

  private void startWorker(int i, String memory, Path workDir) {
    Map<String, String> env = SparkHome.env(home);
    env.put("SPARK_DAEMON_MEMORY", "256m");
    env.put("SPARK_WORKER_DIR", workDir.resolve("worker-" + i).toString());
    env.put("SPARK_LOCAL_DIRS", workDir.resolve("worker-" + i + "-local").toString());
    workers.add(Launched.start("worker-" + i, List.of(home.resolve("bin/spark-class").toString(),
        "org.apache.spark.deploy.worker.Worker", "--host", ClusterEnv.LOOPBACK, "--port", Integer.toString(ClusterEnv.freePort()),
        "--webui-port", Integer.toString(ClusterEnv.freePort()), "--cores", "1", "--memory", memory,
        "--work-dir", workDir.resolve("worker-" + i).toString(), masterUrl()), env, logs));
  }

  /** Polls the master's JSON status until {@code n} workers are alive (0: until the master answers). */
  void awaitWorkers(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!master.process.isAlive()) {
        throw new IllegalStateException("the Spark master exited:\n" + Launched.tail(master.stderr, 40));
      }
      try {
        JsonNode status = status();
        last = status.toString();
        if (status.path("aliveworkers").asInt() >= n) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(500);
    }
    throw new IllegalStateException("the Spark master did not report " + n + " alive workers within " + timeout + " (last: " + last
        + ")\nmaster log:\n" + Launched.tail(master.stderr, 40));
  }

  JsonNode status() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://" + ClusterEnv.LOOPBACK + ":" + masterUiPort + "/json/").toURL()
        .openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(2000);
    try (InputStream in = c.getInputStream()) {
      return JSON.readTree(in);
    } finally {
      c.disconnect();
    }
  }

  @Override
  public void close() {
    workers.forEach(Launched::close);
    master.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
