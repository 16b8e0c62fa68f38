package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.testing.ExpectedCounts;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestTexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file prepare-text lists is counted: hidden names ({@code .x}, {@code _x}) as {@code hidden} quarantine entries
 * without being read, files that yield no document as one {@code empty} entry in every {@code --doc-split} mode, and a
 * Spark job's output directory (with {@code _SUCCESS} and {@code .crc} files) prepares as its part files alone.
 */
class HiddenAndEmptyFilesTest {
  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void spark() {
    spark = SharedSpark.get();
  }

  static PrepareTextConfig config(Path in, Path out, String glob, DocSplit split) {
    return new PrepareTextConfig(in.toString(), out.toString(), TextFormat.AUTO, glob, split, null, null, null, null,
        UnicodeForm.NFC, true, 1000, 16, false, null, 80, 2, 1000, 2, 7, false);
  }

  /** quarantine/ as file name (below the input, '/'-separated) to reason. */
  static Map<String, String> reasons(Path in, Path out) {
    Map<String, String> r = new TreeMap<>();
    for (Row q : spark.read().json(out.resolve("quarantine").toString()).collectAsList()) {
      String source = q.getAs("source").toString();
      r.put(source.substring(source.indexOf(in.getFileName().toString() + "/") + in.getFileName().toString().length() + 1),
          q.getAs("reason"));
    }
    return r;
  }

  static Set<String> recordSources(Path out) {
    return PreparedDataset.open(out.toString(), spark).records(spark).collectAsList().stream()
        .map(r -> TextRecords.source(r).replaceAll(".*/", "")).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void hiddenFilesAreQuarantinedUnreadAndCounted() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("hidden-in"));
    Files.writeString(in.resolve("a.txt"), TestTexts.sentence(1, 7) + "\n" + TestTexts.sentence(2, 7) + "\n" + TestTexts.sentence(3, 7) + "\n");
    Files.createDirectories(in.resolve("sub/_tmp"));
    Files.createDirectories(in.resolve(".git"));
    Files.writeString(in.resolve("sub/b.txt"), TestTexts.sentence(4, 7) + "\n" + TestTexts.sentence(5, 7) + "\n");
    // Hidden: by name, by name of a folder below the input; their sentences would be accepted if they were read.
    Files.writeString(in.resolve(".notes.txt"), TestTexts.sentence(11, 7) + "\n");
    Files.writeString(in.resolve("_meta.txt"), TestTexts.sentence(12, 7) + "\n" + TestTexts.sentence(13, 7) + "\n");
    Files.writeString(in.resolve("sub/_tmp/part.txt"), TestTexts.sentence(14, 7) + "\n");
    // Not matching --glob: left out by the user's filter, hidden or not, as for every other file.
    Files.writeString(in.resolve(".git/config"), "[core]\n  bare = false\n");
    Files.writeString(in.resolve("readme.md"), TestTexts.sentence(15, 7) + "\n");

    Path out = tmp.resolve("hidden-out");
    DatasetManifest.Counts c = PrepareTextJob.run(spark, config(in, out, "*.txt", DocSplit.LINE)).manifest().counts();
    // 5 lines of a.txt and sub/b.txt, one entry per hidden .txt file.
    new ExpectedCounts().accepted(3 + 2).quarantined("hidden", 3).assertMatches(c);
    assertEquals(Map.of(".notes.txt", "hidden", "_meta.txt", "hidden", "sub/_tmp/part.txt", "hidden"), reasons(in, out));
    assertEquals(Set.of("a.txt:1", "a.txt:2", "a.txt:3", "b.txt:1", "b.txt:2"), recordSources(out), "no hidden file was read");
    Row q = spark.read().json(out.resolve("quarantine").toString()).first();
    assertTrue(q.<String>getAs("detail").contains("not read") && q.<String>getAs("detail").contains("--input"), q.toString());

    // Named by --input itself, a hidden file is read.
    DatasetManifest.Counts named = PrepareTextJob.run(spark, config(in.resolve("_meta.txt"), tmp.resolve("hidden-named"), "*", DocSplit.LINE))
        .manifest().counts();
    new ExpectedCounts().accepted(2).assertMatches(named);

    // Only hidden files: refused before any work, naming them and the fix.
    Path onlyHidden = Files.createDirectories(tmp.resolve("only-hidden"));
    Files.write(onlyHidden.resolve("_SUCCESS"), new byte[0]);
    DatasetException e = assertThrows(DatasetException.class,
        () -> PrepareTextJob.run(spark, config(onlyHidden, tmp.resolve("only-hidden-out"), "*", DocSplit.LINE)));
    assertTrue(e.getMessage().contains("1 hidden") && e.getMessage().contains("_SUCCESS") && e.getMessage().contains("--input"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("only-hidden-out")));
  }

  @Test
  void filesWithoutDocumentsAreEmptyInEveryDocSplit() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("empty-in"));
    Files.writeString(in.resolve("good.txt"), TestTexts.sentence(21, 7) + "\n" + TestTexts.sentence(22, 7) + "\n");
    Files.write(in.resolve("zero.txt"), new byte[0]);
    Files.write(in.resolve("zero.txt.gz"), TestTexts.gzip(new byte[0]));
    Files.writeString(in.resolve("blank.txt"), "  \n\t\n");

    // line: the zero-byte files are one entry each, each whitespace-only line is one (as before).
    Path line = tmp.resolve("empty-line");
    DatasetManifest.Counts cl = PrepareTextJob.run(spark, config(in, line, "*", DocSplit.LINE)).manifest().counts();
    new ExpectedCounts().accepted(2).quarantined("empty", 1 + 1 + 2).assertMatches(cl);
    assertEquals(Map.of("zero.txt", "empty", "zero.txt.gz", "empty", "blank.txt:1", "empty", "blank.txt:2", "empty"), reasons(in, line));

    // paragraph: blank lines separate paragraphs, so the blank file has none: one entry for it, as for the zero-byte ones.
    Path para = tmp.resolve("empty-para");
    DatasetManifest.Counts cp = PrepareTextJob.run(spark, config(in, para, "*", DocSplit.PARAGRAPH)).manifest().counts();
    new ExpectedCounts().accepted(1).quarantined("empty", 3).assertMatches(cp);
    assertEquals(Map.of("zero.txt", "empty", "zero.txt.gz", "empty", "blank.txt", "empty"), reasons(in, para));

    // file: one document per file, as it already was.
    Path file = tmp.resolve("empty-file");
    DatasetManifest.Counts cf = PrepareTextJob.run(spark, config(in, file, "*", DocSplit.FILE)).manifest().counts();
    new ExpectedCounts().accepted(1).quarantined("empty", 3).assertMatches(cf);
    assertEquals(Map.of("zero.txt", "empty", "zero.txt.gz", "empty", "blank.txt", "empty"), reasons(in, file));
  }

  @Test
  void aSparkJobsOutputDirectoryPreparesAsItsPartFiles() throws IOException {
    Path in = tmp.resolve("spark-out");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add(TestTexts.sentence(40 + i, 8));
    }
    // Spark's own output: part files, _SUCCESS and a .crc beside each (the local file system's checksums).
    spark.createDataset(lines, Encoders.STRING()).toDF("text").repartition(3).write().json(in.toString());
    // A failed task's leftovers: a document that is not part of the corpus.
    Path attempt = Files.createDirectories(in.resolve("_temporary/0/_temporary/attempt_0"));
    Files.writeString(attempt.resolve("part-00009.json"), "{\"text\":\"" + TestTexts.sentence(99, 8) + "\"}\n");
    Set<String> hidden;
    Set<String> checksums;
    try (Stream<Path> all = Files.walk(in)) {
      List<String> names = all.filter(Files::isRegularFile).map(p -> in.relativize(p).toString()).toList();
      // Hadoop's local file system (a ChecksumFileSystem) keeps its .x.crc files out of every listing, as HDFS keeps its
      // checksums out of sight: they are the file system's, not files of the input.
      checksums = names.stream().filter(p -> p.matches("(.*/)?\\.[^/]*\\.crc")).collect(Collectors.toSet());
      hidden = names.stream().filter(p -> !checksums.contains(p))
          .filter(p -> p.startsWith(".") || p.startsWith("_") || p.contains("/.")).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(Set.of("_SUCCESS", "_temporary/0/_temporary/attempt_0/part-00009.json"), hidden);
    assertTrue(checksums.contains("._SUCCESS.crc") && checksums.size() == 4, checksums.toString());

    Path out = tmp.resolve("spark-out-ds");
    DatasetManifest m = PrepareTextJob.run(spark, config(in, out, "*", DocSplit.LINE)).manifest();
    assertEquals("jsonl", m.source().format(), "guessed from the part files alone (.crc and _SUCCESS would make it text)");
    DatasetManifest.Counts c = m.counts();
    // Every line Spark wrote, nothing from _temporary/; the hidden files counted unread.
    new ExpectedCounts().accepted(lines.size()).quarantined("hidden", hidden.size()).assertMatches(c);
    Map<String, String> expected = new TreeMap<>();
    hidden.forEach(h -> expected.put(h, "hidden"));
    assertEquals(expected, reasons(in, out));
    assertTrue(recordSources(out).stream().allMatch(s -> s.startsWith("part-")), recordSources(out).toString());
  }
}
