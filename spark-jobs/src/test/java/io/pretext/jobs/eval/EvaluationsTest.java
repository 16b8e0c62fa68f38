package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluations recorded in a run directory: where, under which name, and that nothing else in the run changes. */
class EvaluationsTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Configuration conf;
  static Path train;
  static Path test;
  static Path run;
  static Checkpoint checkpoint;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    conf = spark.sparkContext().hadoopConfiguration();
    int[] patterns = EvalFixtures.balancedLabels(30);
    train = EvalFixtures.dataset(spark, tmp, "train", patterns, patterns, 1);
    test = EvalFixtures.dataset(spark, tmp, "test", patterns, patterns, 2);
    run = tmp.resolve("run");
    checkpoint = EvalFixtures.checkpoint(spark, run, 42);
  }

  static EvaluationRecord record(String features, Long round, String protocol, Map<String, Object> settings) {
    return new EvaluationRecord(EvaluationRecord.FORMAT_VERSION, features, protocol, "c", round, "file:/t", "file:/s", new TreeMap<>(settings),
        Map.of("linear", 0.5), 128, 10, 5, 1.0, "0.1.0", "abc");
  }

  @Test
  void namesAreDeterministicAndDifferWhereTheEvaluationDoes() {
    EvaluationRecord a = record("trained", 46L, "both", Map.of("k", 200, "maxIter", 100));
    String name = Evaluations.fileName(a);
    assertTrue(name.matches("trained-round-000046-both-[0-9a-f]{8}\\.json"), name);
    assertEquals(name, Evaluations.fileName(record("trained", 46L, "both", Map.of("k", 200, "maxIter", 100))));
    assertNotEquals(name, Evaluations.fileName(record("trained", 47L, "both", Map.of("k", 200, "maxIter", 100))));
    assertNotEquals(name, Evaluations.fileName(record("trained", 46L, "both", Map.of("k", 20, "maxIter", 100))));
    assertNotEquals(name, Evaluations.fileName(record("trained", 46L, "linear", Map.of("k", 200, "maxIter", 100))));
    assertTrue(Evaluations.fileName(record("pixels", null, "linear", Map.of())).matches("pixels-linear-[0-9a-f]{8}\\.json"));
    assertTrue(Evaluations.fileName(record("random", 46L, "both", Map.of("seed", 42L))).matches("random-both-[0-9a-f]{8}\\.json"),
        "random init does not depend on the round");
  }

  @Test
  void theRunDirectoryOfAModel() throws IOException {
    org.apache.hadoop.fs.Path runPath = new org.apache.hadoop.fs.Path(run.toString());
    assertEquals(Optional.of(runPath), Evaluations.runDirectoryOf(run.toString(), conf));
    assertEquals(Optional.of(runPath), Evaluations.runDirectoryOf(checkpoint.dir().toString(), conf), "a checkpoint inside the run");
    Path elsewhere = tmp.resolve("kept-checkpoint");
    Files.createDirectories(elsewhere);
    for (String f : List.of(Checkpoint.MODEL_FILE, "run.json")) {
      Files.copy(Path.of(checkpoint.dir().toUri().getPath()).resolve(f), elsewhere.resolve(f));
    }
    assertEquals(Optional.empty(), Evaluations.runDirectoryOf(elsewhere.toString(), conf), "a checkpoint kept outside a run");
    assertEquals(Optional.empty(), Evaluations.runDirectoryOf(train.toString(), conf), "a dataset");
    assertEquals(Optional.empty(), Evaluations.runDirectoryOf(null, conf));
  }

  @Test
  void evaluateRecordsIntoTheRunAndTouchesNothingElse() throws IOException {
    Path lock = run.resolve(".lock");
    Files.writeString(lock, "someone else's lock\n");
    Map<Path, byte[]> before = contents(run);
    EvaluateTest.Cli r = EvaluateTest.cli("evaluate", "--model", run.toString(), "--train", train.toString(), "--test", test.toString(),
        "--features", "pixels", "--protocol", "linear", "--max-iter", "5");
    assertEquals(0, r.code(), r.err());
    EvaluateTest.Cli again = EvaluateTest.cli("evaluate", "--model", checkpoint.dir().toString(), "--train", train.toString(), "--test",
        test.toString(), "--features", "trained", "--protocol", "knn", "--k", "5");
    assertEquals(0, again.code(), again.err());
    Map<Path, byte[]> after = contents(run);
    List<Path> added = new ArrayList<>();
    for (Map.Entry<Path, byte[]> e : after.entrySet()) {
      if (before.containsKey(e.getKey())) {
        assertArrayEquals(before.get(e.getKey()), e.getValue(), "changed: " + e.getKey());
      } else {
        added.add(run.relativize(e.getKey()));
      }
    }
    assertEquals(before.keySet().size() + added.size(), after.size(), "nothing removed");
    assertEquals(2, added.stream().filter(p -> p.startsWith("evaluations") && p.toString().endsWith(".json")).count(), added.toString());
    assertTrue(added.stream().allMatch(p -> p.startsWith("evaluations")), added.toString());
    assertTrue(r.out().contains("\"recorded\":\"" + run + "/evaluations/pixels-linear-"), r.out());

    Evaluations.Listing listing = Evaluations.read(new org.apache.hadoop.fs.Path(run.toString()), conf);
    assertEquals(List.of("pixels", "trained"), listing.records().stream().map(EvaluationRecord::features).toList());
    EvaluationRecord trained = listing.records().get(1);
    assertEquals(1L, trained.roundsDone());
    assertEquals(checkpoint.dir().toString(), trained.checkpoint());
    assertEquals(Map.of("k", 5, "knnTemperature", 0.07), trained.settings());
    assertEquals(List.of("knn"), List.copyOf(trained.results().keySet()));
    assertEquals(test.toString(), trained.test());

    // The same evaluation again replaces its file.
    EvaluateTest.Cli third = EvaluateTest.cli("evaluate", "--model", run.toString(), "--train", train.toString(), "--test", test.toString(),
        "--features", "trained", "--protocol", "knn", "--k", "5");
    assertEquals(0, third.code(), third.err());
    assertEquals(2, Evaluations.read(new org.apache.hadoop.fs.Path(run.toString()), conf).records().size());
    Files.delete(lock);
  }

  @Test
  void unreadableFilesAreListedWithTheirReason() throws IOException {
    Path other = tmp.resolve("other-run");
    Path dir = Files.createDirectories(other.resolve(Evaluations.DIRECTORY));
    EvaluationRecord ok = record("pixels", null, "linear", Map.of("maxIter", 100, "reg", 1e-4));
    Files.writeString(dir.resolve(Evaluations.fileName(ok)), ok.toJson());
    Files.writeString(dir.resolve("broken.json"), "{\"formatVersion\": 1, \"feat");
    Files.writeString(dir.resolve("future.json"), ok.toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"));
    Files.writeString(dir.resolve("notes.txt"), "not a record");
    Evaluations.Listing l = Evaluations.read(new org.apache.hadoop.fs.Path(other.toString()), new Configuration());
    assertEquals(List.of(ok), l.records());
    assertEquals(2, l.unreadable().size(), l.unreadable().toString());
    assertTrue(l.unreadable().get(0).startsWith("broken.json: not a valid evaluation record"), l.unreadable().get(0));
    assertTrue(l.unreadable().get(1).startsWith("future.json: evaluation record formatVersion 9 is not supported"), l.unreadable().get(1));
    assertEquals(ok, EvaluationRecord.fromJson(ok.toJson()), "round trip");
  }

  private static Map<Path, byte[]> contents(Path root) throws IOException {
    Map<Path, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(p, Files.readAllBytes(p));
      }
    }
    return out;
  }
}
