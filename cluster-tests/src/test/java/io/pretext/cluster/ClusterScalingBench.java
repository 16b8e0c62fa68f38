package io.pretext.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (failsafe runs it only when asked: {@code mvn -pl cluster-tests -am verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterScalingBench}). Results go to stdout and
 * {@code target/it-work/bench.txt}; docs/cluster-scaling.md has the figures and how to read them.
 *
 * <ol>
 *   <li>Throughput: SimCLR small-cnn on 28x28 gray images (generated, 12,800), batch 128 per worker, averaging every
 *       5 minibatches, through the standalone cluster with 1 executor (1 worker) and 2 executors (2 workers), and in
 *       Spark local mode on the same 2 cores (2 workers), interleaved, {@code pretext.bench.reps} times. Per run: the
 *       median round's images/s and the median share of a round's wall time spent outside the workers' fits (averaging,
 *       broadcast, scheduling) and in making views.
 *   <li>Memory: a tiny run (batch 8 per worker, averaging every minibatch, 16x16 images) on the cluster with 2
 *       executors for {@code pretext.bench.rounds} rounds; resident size (VmRSS) of the driver and both executors at
 *       round 100 and every 500 rounds after.
 * </ol>
 */
class ClusterScalingBench {
  static final ObjectMapper JSON = new ObjectMapper();
  final List<String> report = new ArrayList<>();

  @Test
  void throughputAndMemory() throws IOException {
    ClusterFixture fx = ClusterFixture.get();
    FileSystem fs = fx.hdfs.fs();
    String hdfs = fx.hdfs.uri();
    writeIdx(fs, "/bench/images-idx3-ubyte", 12_800, 28);
    fx.submit().run("bench-prepare", Duration.ofMinutes(10), "prepare-images", "--input", hdfs + "/bench/images-idx3-ubyte", "--output",
        hdfs + "/bench/ds", "--shards", "4", "--overwrite").ok();
    int reps = Integer.getInteger("pretext.bench.reps", 2);
    for (int rep = 0; rep < reps; rep++) {
      throughput(fx, "cluster-1-executor", fx.submit().conf("spark.cores.max", "1"), 1, hdfs, rep);
      throughput(fx, "cluster-2-executors", fx.submit(), 2, hdfs, rep);
      throughput(fx, "local[2]", fx.local(2), 2, hdfs, rep);
    }
    memory(fx, hdfs, Integer.getInteger("pretext.bench.rounds", 2000));
    Files.write(fx.work.resolve("bench.txt"), report);
  }

  private void throughput(ClusterFixture fx, String name, Submit submit, int workers, String hdfs, int rep, String... extra)
      throws IOException {
    String run = "/bench/run-" + name.replaceAll("[^a-z0-9-]", "") + "-" + rep;
    List<String> args = new ArrayList<>(List.of("pretrain", "--data", hdfs + "/bench/ds", "--run", hdfs + run, "--workers",
        Integer.toString(workers), "--epochs", "1", "--checkpoint-every", "1000"));
    args.addAll(List.of(extra));
    submit.run("bench-" + name.replaceAll("[^a-z0-9-]", "") + "-" + rep, Duration.ofMinutes(20), args.toArray(String[]::new)).ok();
    List<Double> ips = new ArrayList<>();
    List<Double> averaging = new ArrayList<>();
    List<Double> views = new ArrayList<>();
    List<String> lines = ClusterPipelineIT.rounds(fx.hdfs.fs(), run + "/metrics.jsonl");
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) { // the first rounds warm up
      JsonNode m = JSON.readTree(line);
      ips.add(m.path("imagesPerSecond").asDouble());
      averaging.add(m.path("averagingSeconds").asDouble() / m.path("seconds").asDouble());
      views.add(m.path("viewSeconds").asDouble() / m.path("seconds").asDouble());
    }
    say(String.format("throughput %-20s rep %d: %d rounds, median %.0f images/s (p10 %.0f, p90 %.0f), averaging share %.1f%%, views %.1f%%",
        name, rep, lines.size(), median(ips), pct(ips, 0.1), pct(ips, 0.9), 100 * median(averaging), 100 * median(views)));
  }

  /**
   * {@code --sync driver} against {@code --sync allreduce} on the 2-executor cluster, interleaved, same data and recipe
   * as the throughput part (one epoch, one checkpoint at its end: one barrier stage under all-reduce). Per run: images/s
   * and the averaging share over the rounds after the first two, and the bytes that passed through the driver from
   * Spark's own accounting in the event log: task results (every {@code SparkListenerTaskEnd}'s result size) and the
   * broadcast pieces the driver stored (block updates on the driver's block manager), per round.
   */
  @Test
  void syncModes() throws IOException {
    ClusterFixture fx = ClusterFixture.get();
    FileSystem fs = fx.hdfs.fs();
    String hdfs = fx.hdfs.uri();
    if (!fs.exists(new org.apache.hadoop.fs.Path("/bench/ds/_SUCCESS"))) {
      writeIdx(fs, "/bench/images-idx3-ubyte", 12_800, 28);
      fx.submit().run("bench-prepare", Duration.ofMinutes(10), "prepare-images", "--input", hdfs + "/bench/images-idx3-ubyte", "--output",
          hdfs + "/bench/ds", "--shards", "4", "--overwrite").ok();
    }
    int reps = Integer.getInteger("pretext.bench.reps", 2);
    for (int rep = 0; rep < reps; rep++) {
      for (String sync : List.of("driver", "allreduce")) {
        Path events = fx.work.resolve("events-" + sync + "-" + rep);
        Files.createDirectories(events);
        Submit submit = fx.submit().conf("spark.eventLog.dir", events.toUri().toString())
            .conf("spark.eventLog.logBlockUpdates.enabled", "true");
        throughput(fx, "sync-" + sync, submit, 2, hdfs, rep, "--sync", sync);
        say(String.format("bytes through the driver, sync %-9s rep %d: %s", sync, rep, driverBytes(events, hdfs + "/bench/run-sync-" + sync
            + "-" + rep)));
      }
    }
    Files.write(fx.work.resolve("bench-sync.txt"), report);
  }

  /** Task result bytes and driver-stored broadcast bytes from the event log in {@code dir}, per round of the run. */
  private String driverBytes(Path dir, String run) throws IOException {
    long results = 0;
    long broadcast = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.contains("\"SparkListenerTaskEnd\"")) {
            results += JSON.readTree(line).path("Task Metrics").path("Result Size").asLong();
          } else if (line.contains("\"SparkListenerBlockUpdated\"") && line.contains("broadcast_") && line.contains("piece")) {
            JsonNode u = JSON.readTree(line).path("Block Updated Info");
            if ("driver".equals(u.path("Block Manager ID").path("Executor ID").asText())) {
              broadcast += u.path("Memory Size").asLong() + u.path("Disk Size").asLong();
            }
          }
        }
      }
    }
    int rounds = ClusterPipelineIT.rounds(fx().hdfs.fs(), run.substring(run.indexOf("/bench")) + "/metrics.jsonl").size();
    return String.format("%d rounds; task results %.1f KB/round, broadcast pieces stored by the driver %.1f KB/round (whole run, "
        + "preparation of the run's dataset excluded)", rounds, results / 1024.0 / rounds, broadcast / 1024.0 / rounds);
  }

  private static ClusterFixture fx() {
    return ClusterFixture.get();
  }

  private void memory(ClusterFixture fx, String hdfs, int rounds) {
    // 16x16 images, 2 workers x 8 x 1 = 16 images per round: rounds / epoch = records / 16
    int records = 1600;
    try {
      writeIdx(fx.hdfs.fs(), "/bench/tiny-idx3-ubyte", records, 16);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    fx.submit().run("bench-prepare-tiny", Duration.ofMinutes(10), "prepare-images", "--input", hdfs + "/bench/tiny-idx3-ubyte", "--output",
        hdfs + "/bench/tiny", "--shards", "2", "--overwrite").ok();
    int epochs = Math.max(1, rounds / (records / 16));
    Launched driver = fx.submit().start("bench-memory", List.of("pretrain", "--data", hdfs + "/bench/tiny", "--run", hdfs + "/bench/run-memory",
        "--workers", "2", "--batch-size-per-worker", "8", "--averaging-frequency", "1", "--epochs", Integer.toString(epochs),
        "--projection-hidden", "32", "--projection-dim", "16", "--checkpoint-every", "100000", "--warmup-epochs", "0"));
    long target = 100;
    long total = (long) epochs * (records / 16);
    while (driver.process.isAlive()) {
      long done = driver.err().lines().filter(l -> l.startsWith("epoch ")).count();
      if (done >= target) {
        say(String.format("memory at round %d: driver %s, executors %s", done, rss(driver.pid()), executorsRss(fx)));
        target = target == 100 ? 500 : target + 500;
      }
      StandaloneCluster.sleep(1000);
    }
    say("memory run exit " + driver.waitFor(Duration.ofMinutes(1)) + " after " + total + " rounds");
  }

  private static String executorsRss(ClusterFixture fx) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      fx.cluster.worker(i).descendants("CoarseGrainedExecutorBackend").forEach(h -> out.add(rss(h.pid())));
    }
    return out.toString();
  }

  private static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("?");
    } catch (IOException e) {
      return "gone";
    }
  }

  private void say(String line) {
    System.out.println(line);
    report.add(line);
  }

  /** An IDX file of {@code n} generated {@code side x side} gray images (the Corpus shapes at this size). */
  static void writeIdx(FileSystem fs, String path, int n, int side) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + n * side * side);
    b.putInt(0x00000803).putInt(n).putInt(side).putInt(side);
    Random r = new Random(11);
    for (int i = 0; i < n; i++) {
      int cy = 3 + r.nextInt(side - 6);
      int cx = 3 + r.nextInt(side - 6);
      int shape = i % 3;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          boolean on = switch (shape) {
            case 0 -> Math.abs(y - cy) + Math.abs(x - cx) < side / 4;
            case 1 -> (y + cy) % 4 < 2;
            default -> (x + cx) % 4 < 2;
          };
          b.put((byte) ((on ? 200 : 20) + r.nextInt(40)));
        }
      }
    }
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
      out.write(b.array());
    }
  }

  static double median(List<Double> v) {
    return pct(v, 0.5);
  }

  static double pct(List<Double> v, double q) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.get((int) Math.min(s.size() - 1, Math.round(q * (s.size() - 1))));
  }
}
