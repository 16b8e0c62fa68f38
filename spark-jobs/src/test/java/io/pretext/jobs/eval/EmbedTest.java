package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.PretextCli;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.model.method.Representations;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmbedTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path data;
  static Path run;
  static Checkpoint checkpoint;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    int[] patterns = EvalFixtures.balancedLabels(45);
    data = EvalFixtures.dataset(spark, tmp, "data", patterns, patterns, 5);
    run = tmp.resolve("run");
    checkpoint = EvalFixtures.checkpoint(spark, run, 3);
  }

  @Test
  void oneRowPerRecordWithTheDriversRepresentation() {
    Path out = tmp.resolve("emb");
    EmbedResult r = Embed.run(spark, new EmbedConfig(run.toString(), data.toString(), out.toString(), "parquet", false, 16));
    List<Row> records = PreparedDataset.open(data.toString(), spark).records(spark).collectAsList();
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(records.size(), r.count());
    assertEquals(records.size(), rows.size());
    assertEquals(128, r.dimension());
    assertEquals(records.stream().map(ImageRecords::id).collect(Collectors.toSet()),
        rows.stream().map(x -> x.getString(0)).collect(Collectors.toSet()));
    assertEquals(List.of("id", "source", "label", "representation"), List.of(spark.read().parquet(out.toString()).columns()));

    // Executors rebuilt the network from the broadcast: their features equal the driver's forward
    // pass of the checkpoint on v / 255 pixels.
    ComputationGraph graph = checkpoint.loadModel(spark.sparkContext().hadoopConfiguration());
    Map<String, Row> byId = new HashMap<>();
    rows.forEach(x -> byId.put(x.getString(0), x));
    for (Row rec : records.subList(0, 5)) {
      DecodedImage img = ImageRecords.image(rec);
      float[] x = new float[img.pixels().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = (img.pixels()[i] & 0xFF) / 255f;
      }
      INDArray expected = Representations.of(graph, "representation", Nd4j.create(x, new long[] {1, 1, 8, 8}, 'c'));
      Row got = byId.get(ImageRecords.id(rec));
      float[] rep = Features.floats(got, 3);
      assertEquals(128, rep.length);
      assertEquals(ImageRecords.label(rec), got.isNullAt(2) ? null : got.getInt(2));
      for (int j = 0; j < rep.length; j++) {
        assertEquals(expected.getFloat(0, j), rep[j], 1e-4f, "record " + ImageRecords.id(rec) + " feature " + j);
      }
    }
  }

  @Test
  void existingOutputIsRefusedUnlessOverwrite() {
    Path out = tmp.resolve("emb-twice");
    Embed.run(spark, new EmbedConfig(run.toString(), data.toString(), out.toString(), "parquet", false, 256));
    DatasetException e = assertThrows(DatasetException.class,
        () -> Embed.run(spark, new EmbedConfig(run.toString(), data.toString(), out.toString(), "parquet", false, 256)));
    assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"), e.getMessage());
    EvaluateTest.Cli r = EvaluateTest.cli("embed", "--model", run.toString(), "--input", data.toString(), "--output", out.toString(),
        "--overwrite");
    assertEquals(PretextCli.EXIT_OK, r.code(), r.err());
    assertTrue(r.out().contains("\"command\":\"embed\"") && r.out().contains("\"count\":45"), r.out());
    assertEquals(Set.of(45L), Set.of(spark.read().parquet(out.toString()).count()));
  }

  @Test
  void jsonLinesHoldTheSameRowsAsParquet() {
    Path parquet = tmp.resolve("emb-parquet");
    Path json = tmp.resolve("emb-json");
    Embed.run(spark, new EmbedConfig(run.toString(), data.toString(), parquet.toString(), "parquet", false, 64));
    EmbedResult r = Embed.run(spark, new EmbedConfig(run.toString(), data.toString(), json.toString(), "json", false, 64));
    assertEquals(45, r.count());
    Map<String, Row> byId = new HashMap<>();
    spark.read().parquet(parquet.toString()).collectAsList().forEach(x -> byId.put(x.getString(0), x));
    List<Row> lines = spark.read().schema(Features.SCHEMA).json(json.toString()).collectAsList();
    assertEquals(45, lines.size());
    for (Row line : lines) {
      Row p = byId.get(line.getString(0));
      assertEquals(p.getString(1), line.getString(1));
      assertEquals(p.get(2), line.get(2));
      org.junit.jupiter.api.Assertions.assertArrayEquals(Features.floats(p, 3), Features.floats(line, 3), "float text round trip is exact");
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new EmbedConfig(run.toString(), data.toString(), json.toString(), "csv", false, 64));
    assertTrue(bad.getMessage().contains("--format") && bad.getMessage().contains("parquet, json"), bad.getMessage());
  }
}
