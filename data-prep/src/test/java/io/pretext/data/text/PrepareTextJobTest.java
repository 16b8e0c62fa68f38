package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.testing.ExpectedCounts;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import io.pretext.data.testing.TestTexts;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.batch.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-text end to end on a real Spark local[2] session and real Parquet, on generated corpora with every bad input. */
class PrepareTextJobTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path corpus;
  static List<String> aLines;
  static int nulFileGoodLines;
  /** What {@link #corpus()} wrote into the main corpus. */
  static final ExpectedCounts written = new ExpectedCounts();
  /** The normalised text of every document of the main corpus that must be accepted. */
  static final List<String> acceptedTexts = new ArrayList<>();

  static PrepareTextConfig config(Path in, Path out, TextFormat format, String labelField, boolean pack, String vocab, int vocabSize) {
    return new PrepareTextConfig(in.toString(), out.toString(), format, null, DocSplit.LINE, null, labelField, null, null,
        UnicodeForm.NFC, true, 1000, 16, pack, vocab, vocabSize, 2, 1000, 3, 7, false);
  }

  static PrepareTextConfig config(Path in, Path out) {
    return config(in, out, TextFormat.AUTO, null, false, null, 200);
  }

  /**
   * a.txt: 20 distinct sentences (lines 3 and 5 end in CRLF); then an empty line, a blank one, a copy of line 1, Latin-1
   * bytes, a 1500-byte line, control characters (removed, accepted), a 60-word document (windows), "été" composed and
   * decomposed (duplicates after NFC), and format characters only. b.txt.gz: 3 sentences and a copy of a.txt line 2.
   * c.txt.bz2: 3 sentences. image.png: binary. nul.txt: more than 8 KiB of sentences, a line with a NUL, one more
   * sentence. empty.txt: zero bytes (no lines: one empty entry). .hidden.txt and _meta.txt: quarantined as hidden, unread.
   * Each document is tallied in {@link #written} as it is written, and each accepted one's normalised text kept in
   * {@link #acceptedTexts}.
   */
  @BeforeAll
  static void corpus() throws IOException {
    spark = SharedSpark.get();
    corpus = Files.createDirectories(tmp.resolve("corpus"));
    aLines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      aLines.add(TestTexts.sentence(i, 6 + i % 5));
    }
    List<byte[]> a = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      a.add(TestTexts.utf8(aLines.get(i) + (i == 2 || i == 4 ? "\r\n" : "\n")));
      accept(aLines.get(i));
    }
    a.add(TestTexts.utf8("\n"));
    a.add(TestTexts.utf8("   \t  \n"));
    written.quarantined("empty", 2);
    a.add(TestTexts.utf8(aLines.get(0) + "\n"));
    written.duplicates(1);
    a.add(new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'a', 'u', ' ', 'l', 'a', 'i', 't', '\n'});
    written.quarantined("invalid_utf8", 1);
    a.add(TestTexts.utf8("word ".repeat(300) + "\n"));
    written.quarantined("oversized", 1);
    a.add(TestTexts.utf8("control\u0001chars\u0007removed here\n"));
    accept("controlcharsremoved here");
    a.add(TestTexts.utf8(TestTexts.sentence(999, 60) + "\n"));
    accept(TestTexts.sentence(999, 60));
    a.add(TestTexts.utf8("\u00e9t\u00e9 en France\n"));
    accept("\u00e9t\u00e9 en France");
    a.add(TestTexts.utf8("e\u0301te\u0301 en France\n"));
    written.duplicates(1);
    a.add(TestTexts.utf8("\u200b\u200d\u00ad\n"));
    written.quarantined("empty", 1);
    Files.write(corpus.resolve("a.txt"), TestTexts.concat(a.toArray(byte[][]::new)));
    Files.write(corpus.resolve("b.txt.gz"), TestTexts.gzip(TestTexts.utf8(
        TestTexts.sentence(100, 7) + "\n" + TestTexts.sentence(101, 7) + "\n" + TestTexts.sentence(102, 7) + "\n" + aLines.get(1) + "\n")));
    accept(TestTexts.sentence(100, 7), TestTexts.sentence(101, 7), TestTexts.sentence(102, 7));
    written.duplicates(1);
    Files.write(corpus.resolve("c.txt.bz2"), TestTexts.bzip2(TestTexts.utf8(
        TestTexts.sentence(200, 5) + "\n" + TestTexts.sentence(201, 5) + "\n" + TestTexts.sentence(202, 5))));
    accept(TestTexts.sentence(200, 5), TestTexts.sentence(201, 5), TestTexts.sentence(202, 5));
    Files.write(corpus.resolve("image.png"), TestImages.encode(TestImages.rgb(16, 16, 1), "png"));
    written.quarantined("binary", 1);
    StringBuilder nul = new StringBuilder();
    nulFileGoodLines = 0;
    while (nul.length() <= 8200) {
      String line = TestTexts.sentence(300 + nulFileGoodLines++, 8);
      nul.append(line).append('\n');
      accept(line);
    }
    nul.append("bad\0line\n").append(TestTexts.sentence(9999, 8)).append('\n');
    written.quarantined("nul_byte", 1);
    accept(TestTexts.sentence(9999, 8));
    nulFileGoodLines++;
    Files.writeString(corpus.resolve("nul.txt"), nul);
    Files.write(corpus.resolve("empty.txt"), new byte[0]);
    written.quarantined("empty", 1);
    Files.writeString(corpus.resolve(".hidden.txt"), "never read\n");
    Files.writeString(corpus.resolve("_meta.txt"), "never read\n");
    written.quarantined("hidden", 2);
  }

  /** Tallies documents that must be accepted, by their normalised text. */
  private static void accept(String... normalized) {
    for (String t : normalized) {
      written.accepted(1);
      acceptedTexts.add(t);
    }
  }

  private static Path mainOutput;
  private static DatasetManifest mainManifest;

  /** The corpus prepared once with the default test settings; several tests read it. */
  static synchronized DatasetManifest main() {
    if (mainManifest == null) {
      mainOutput = tmp.resolve("ds-main");
      mainManifest = PrepareTextJob.run(spark, config(corpus, mainOutput)).manifest();
    }
    return mainManifest;
  }

  static List<Row> quarantine(Path out) {
    return spark.read().json(out.resolve("quarantine").toString()).collectAsList();
  }

  @Test
  void countsAddUpAndEveryBadDocumentHasAReason() {
    DatasetManifest m = main();
    Path out = mainOutput;
    assertEquals(20, new HashSet<>(aLines).size());
    assertEquals(acceptedTexts.size(), new HashSet<>(acceptedTexts).size(), "the accepted documents of the corpus are distinct");
    written.assertMatches(m.counts());
    assertEquals("text", m.kind());
    assertEquals("text", m.source().format());

    Map<String, String> reasons = new TreeMap<>();
    Map<String, String> details = new TreeMap<>();
    for (Row q : quarantine(out)) {
      String source = q.getAs("source").toString().replaceAll(".*/", "");
      reasons.put(source, q.getAs("reason"));
      details.put(source, q.getAs("detail"));
    }
    assertEquals(Map.of("a.txt:21", "empty", "a.txt:22", "empty", "a.txt:24", "invalid_utf8", "a.txt:25", "oversized",
        "a.txt:30", "empty", "image.png", "binary", "nul.txt:" + nulFileGoodLines, "nul_byte", "empty.txt", "empty",
        ".hidden.txt", "hidden", "_meta.txt", "hidden"), reasons);
    // Each detail says what the test put there: where the bad byte is, how large the line was.
    Map<String, String> says = Map.of("a.txt:21", "no text", "a.txt:22", "only whitespace", "a.txt:24", "invalid UTF-8 at byte 3 (E9)",
        "a.txt:25", "1500 bytes, more than --max-doc-bytes 1000", "a.txt:30", "only whitespace, control or format characters",
        "image.png", "NUL or other control bytes", "nul.txt:" + nulFileGoodLines, "NUL byte at offset 3", "empty.txt", "zero bytes",
        ".hidden.txt", "not read");
    says.forEach((source, fragment) -> assertTrue(details.get(source).contains(fragment), source + ": " + details.get(source)));
    Map<String, String> dups = new TreeMap<>();
    for (Row d : spark.read().json(out.resolve("duplicates").toString()).collectAsList()) {
      dups.put(d.getAs("source").toString().replaceAll(".*/", ""), d.getAs("duplicateOf").toString().replaceAll(".*/", ""));
    }
    assertEquals(Map.of("a.txt:23", "a.txt:1", "a.txt:29", "a.txt:28", "b.txt.gz:4", "a.txt:2"), dups);
    assertTrue(Files.exists(out.resolve("_SUCCESS")) && Files.notExists(out.resolve("_staging")));
  }

  /**
   * Binary or text is decided by the share of control bytes in a file's first 8 KiB (more than 5%: binary, one entry).
   * A NUL line between two sentences at the top of a file costs that line only. Random bytes, an image and a gzip stream
   * under a name Hadoop does not decompress are binary, whole. At the threshold: 409 NUL lines in the first 8192 bytes
   * (4.99%) leave the file read line by line, 410 (5.005%) make it binary.
   */
  @Test
  void aStrayNulCostsOneDocumentWhileABinaryFileIsOneEntry() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("nul-or-binary"));
    ExpectedCounts expected = new ExpectedCounts();
    Files.writeString(dir.resolve("top.txt"), TestTexts.sentence(400, 7) + "\nbad\0line\n" + TestTexts.sentence(401, 7) + "\n");
    expected.accepted(2).quarantined("nul_byte", 1);
    byte[] random = new byte[4096];
    new Random(5).nextBytes(random);
    Files.write(dir.resolve("random.bin"), random);
    Files.write(dir.resolve("image.png"), TestImages.encode(TestImages.rgb(32, 32, 3), "png"));
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      log.append(i).append(' ').append(TestTexts.sentence(2000 + i, 9)).append('\n');
    }
    Files.write(dir.resolve("app.log.gz.1"), TestTexts.gzip(TestTexts.utf8(log.toString())));
    expected.quarantined("binary", 3);
    List<String> atThreshold = new ArrayList<>();
    Files.write(dir.resolve("at-threshold.txt"), nulLinesThenSentences(409, 3000, atThreshold));
    expected.quarantined("nul_byte", 409).accepted(atThreshold.size());
    Files.write(dir.resolve("over-threshold.txt"), nulLinesThenSentences(410, 4000, new ArrayList<>()));
    expected.quarantined("binary", 1);

    Path out = tmp.resolve("ds-nul-or-binary");
    DatasetManifest m = PrepareTextJob.run(spark, config(dir, out)).manifest();
    expected.assertMatches(m.counts());
    Map<String, String> reasons = new TreeMap<>();
    for (Row q : quarantine(out)) {
      reasons.put(q.getAs("source").toString().replaceAll(".*/", ""), q.getAs("reason"));
    }
    assertEquals("nul_byte", reasons.get("top.txt:2"));
    for (String binary : List.of("random.bin", "image.png", "app.log.gz.1", "over-threshold.txt")) {
      assertEquals("binary", reasons.get(binary), binary);
    }
    assertEquals("nul_byte", reasons.get("at-threshold.txt:409"));
    Set<String> sources = new HashSet<>();
    PreparedDataset.open(out.toString(), spark).records(spark).collectAsList()
        .forEach(r -> sources.add(TextRecords.source(r).replaceAll(".*/", "")));
    assertTrue(sources.contains("top.txt:1") && sources.contains("top.txt:3"), sources.toString());
    assertTrue(sources.contains("at-threshold.txt:410") && sources.contains("at-threshold.txt:" + (409 + atThreshold.size())), sources.toString());
  }

  /** {@code nuls} lines of one NUL each, then numbered sentences (added to {@code sentences}) to past 9000 bytes. */
  static byte[] nulLinesThenSentences(int nuls, int seed, List<String> sentences) {
    StringBuilder b = new StringBuilder("\0\n".repeat(nuls));
    for (int i = 0; b.length() <= 9000; i++) {
      String line = "line " + i + ": " + TestTexts.sentence(seed + i, 8);
      sentences.add(line);
      b.append(line).append('\n');
    }
    return TestTexts.utf8(b.toString());
  }

  @Test
  void recordsAreWindowsOfTheTokenisedNormalisedText() {
    DatasetManifest m = main();
    Path out = mainOutput;
    PreparedDataset ds = PreparedDataset.open(out.toString(), spark);
    BertTokenizer tokenizer = ds.tokenizer(spark.sparkContext().hadoopConfiguration());
    assertEquals(m.text().vocabSize(), tokenizer.vocabulary().size());
    Map<String, List<Row>> byId = ds.records(spark).collectAsList().stream().collect(Collectors.groupingBy(TextRecords::id));
    assertEquals(m.counts().accepted(), byId.size());

    Map<String, String> expected = new HashMap<>();
    for (String text : acceptedTexts) {
      expected.put(DocumentValidator.contentId(text), text);
    }
    assertEquals(expected.keySet(), byId.keySet(), "every accepted document, nothing else (lines ending in CRLF included)");
    String longDoc = TestTexts.sentence(999, 60);
    long tokens = 0;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<Row> windows = byId.get(e.getKey());
      windows.sort((x, y) -> Integer.compare(TextRecords.window(x), TextRecords.window(y)));
      List<Integer> pieces = new ArrayList<>();
      for (int w = 0; w < windows.size(); w++) {
        Row r = windows.get(w);
        int[] t = TextRecords.tokens(r);
        assertEquals(w, TextRecords.window(r));
        assertEquals(windows.size(), TextRecords.windows(r));
        assertEquals(1, TextRecords.documents(r));
        assertEquals(t.length, r.getInt(7));
        assertTrue(t.length <= 16, "at most --seq-len tokens");
        assertEquals(TokenBatch.CLS_ID, t[0]);
        assertEquals(TokenBatch.SEP_ID, t[t.length - 1]);
        for (int i = 1; i < t.length - 1; i++) {
          pieces.add(t[i]);
        }
        if (w > 0 && tokenizer.vocabulary().isContinuation(t[1])) {
          // Cut inside a word only when that word fills the whole previous window.
          int[] previous = TextRecords.tokens(windows.get(w - 1));
          for (int i = 2; i < previous.length - 1; i++) {
            assertTrue(tokenizer.vocabulary().isContinuation(previous[i]), "window " + w + " starts inside a word that did not fill window " + (w - 1));
          }
        }
      }
      assertEquals(Arrays.stream(tokenizer.encode(e.getValue())).boxed().toList(), pieces, "no piece lost or added: " + e.getValue());
      tokens += pieces.size();
    }
    List<Row> longWindows = byId.get(DocumentValidator.contentId(longDoc));
    assertTrue(longWindows.size() >= 4, "60 words in windows of 14 pieces: " + longWindows.size());
    long windowed = expected.keySet().stream().filter(id -> byId.get(id).size() > 1).count();
    assertEquals(windowed, m.text().windowedDocuments());
    assertEquals(tokens, m.text().textTokens(), "the pieces of every accepted document, as the tokenizer encodes it");
    assertEquals(m.text().tokens(), m.text().textTokens() + 2 * m.text().sequences());
    assertEquals(m.totalRecords(), m.text().sequences());
  }

  @Test
  void sameInputGivesByteIdenticalShardsVocabularyAndManifest() throws IOException {
    DatasetManifest ma = main();
    Path a = mainOutput;
    Path b = tmp.resolve("ds-b");
    DatasetManifest mb = PrepareTextJob.run(spark, config(corpus, b)).manifest();
    assertEquals(ma.shards(), mb.shards());
    for (DatasetManifest.Shard s : ma.shards()) {
      if (s.file() != null) {
        assertArrayEquals(Files.readAllBytes(a.resolve(s.file())), Files.readAllBytes(b.resolve(s.file())), s.file());
      }
    }
    assertArrayEquals(Files.readAllBytes(a.resolve("vocab.txt")), Files.readAllBytes(b.resolve("vocab.txt")));
    assertEquals(ma.toJson().replace(a.toString(), ""), mb.toJson().replace(b.toString(), ""));
    assertEquals(Files.readString(a.resolve("manifest.json")).replace(a.toString(), ""), Files.readString(b.resolve("manifest.json")).replace(b.toString(), ""));
  }

  @Test
  void anExistingVocabularyGivesTheSameIds() throws IOException {
    main();
    Path first = mainOutput;
    Path second = tmp.resolve("ds-vocab-2");
    Path vocab = first.resolve("vocab.txt");
    PrepareTextResult r = PrepareTextJob.run(spark, config(corpus, second, TextFormat.AUTO, null, false, vocab.toString(), 0));
    assertEquals(vocab.toString(), r.manifest().text().vocabSource());
    assertEquals(0, r.vocabularyMillis());
    for (DatasetManifest.Shard s : r.manifest().shards()) {
      if (s.file() != null) {
        assertArrayEquals(Files.readAllBytes(first.resolve(s.file())), Files.readAllBytes(second.resolve(s.file())), s.file());
      }
    }

    PrepareTextConfig cased = new PrepareTextConfig(corpus.toString(), tmp.resolve("ds-cased").toString(), TextFormat.AUTO, null, DocSplit.LINE,
        null, null, null, null, UnicodeForm.NFC, false, 1000, 16, false, vocab.toString(), 0, 2, 1000, 3, 7, false);
    DatasetException mismatch = assertThrows(DatasetException.class, () -> PrepareTextJob.run(spark, cased));
    assertTrue(mismatch.getMessage().contains("uncased") && mismatch.getMessage().contains("pass --lowercase"), mismatch.getMessage());

    Path bad = tmp.resolve("bad-vocab.txt");
    Files.writeString(bad, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nof\nthe\n");
    DatasetException e = assertThrows(DatasetException.class,
        () -> PrepareTextJob.run(spark, config(corpus, tmp.resolve("ds-bad-vocab"), TextFormat.AUTO, null, false, bad.toString(), 0)));
    assertTrue(e.getMessage().contains("line 8") && e.getMessage().contains("'the'") && e.getMessage().contains("line 6"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("ds-bad-vocab")), "refused before the output is created");
  }

  @Test
  void packingSharesSequencesAndLosesNothing() {
    Path out = tmp.resolve("ds-pack");
    PrepareTextConfig c = new PrepareTextConfig(corpus.resolve("a.txt").toString(), out.toString(), TextFormat.TEXT, null, DocSplit.LINE,
        null, null, null, null, UnicodeForm.NFC, true, 1000, 32, true, null, 200, 2, 1000, 2, 7, false);
    DatasetManifest m = PrepareTextJob.run(spark, c).manifest();
    assertTrue(m.text().packed());
    PreparedDataset ds = PreparedDataset.open(out.toString(), spark);
    BertTokenizer tokenizer = ds.tokenizer(spark.sparkContext().hadoopConfiguration());
    List<Row> rows = ds.records(spark).collectAsList();
    assertTrue(rows.size() < m.counts().accepted(), "fewer records than documents: " + rows.size());
    List<List<Integer>> docs = new ArrayList<>();
    int documents = 0;
    for (Row r : rows) {
      int[] t = TextRecords.tokens(r);
      assertTrue(t.length <= 32);
      assertEquals(TokenBatch.CLS_ID, t[0]);
      assertEquals(TokenBatch.SEP_ID, t[t.length - 1]);
      documents += TextRecords.windows(r) > 1 ? (TextRecords.window(r) == 0 ? 1 : 0) : TextRecords.documents(r);
      if (TextRecords.windows(r) > 1) {
        continue;
      }
      List<Integer> cur = new ArrayList<>();
      for (int i = 1; i < t.length; i++) {
        if (t[i] == TokenBatch.SEP_ID) {
          docs.add(cur);
          cur = new ArrayList<>();
        } else {
          cur.add(t[i]);
        }
      }
      assertEquals(TextRecords.documents(r), (int) Arrays.stream(t).filter(x -> x == TokenBatch.SEP_ID).count());
    }
    assertEquals(m.counts().accepted(), documents);
    for (String line : aLines) {
      assertTrue(docs.contains(Arrays.stream(tokenizer.encode(line)).boxed().toList()), line);
    }
  }

  @Test
  void jsonLinesWithNamedLabelsAndEveryMalformedLine() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("jsonl"));
    List<byte[]> lines = new ArrayList<>();
    String[] names = {"verb.motion", "noun.animal", "adj.all"};
    ExpectedCounts expected = new ExpectedCounts();
    for (int i = 0; i < 8; i++) {
      lines.add(TestTexts.utf8("{\"text\": \"" + TestTexts.sentence(500 + i, 6) + "\", \"label\": \"" + names[i % 3] + "\", \"split\": \"train\"}\n"));
      expected.accepted(1);
    }
    lines.add(TestTexts.utf8("{\"label\": \"adj.all\", \"text\": \"" + TestTexts.sentence(500, 6) + "\"}\n"));
    expected.duplicates(1);
    String[][] bad = {
        {"{\"text\": \"broken", "malformed_json"}, {"{\"label\": \"adj.all\"}", "missing_field"},
        {"{\"text\": null, \"label\": \"adj.all\"}", "missing_field"}, {"{\"text\": 42, \"label\": \"adj.all\"}", "missing_field"},
        {"[1, 2]", "malformed_json"}, {"{\"text\": \"float label\", \"label\": 1.5}", "bad_label"},
        {"{\"text\": \"no label\"}", "missing_field"}, {"{\"text\": \"nul\\u0000inside\", \"label\": \"adj.all\"}", "nul_byte"},
        {"{\"text\": \"x\", \"label\": \"adj.all\"} trailing", "malformed_json"},
        {"{\"text\": \"a\", \"text\": \"b\", \"label\": \"adj.all\"}", "malformed_json"}, {"", "empty"},
        {"{\"text\": \"   \", \"label\": \"adj.all\"}", "empty"}};
    for (String[] b : bad) {
      lines.add(TestTexts.utf8(b[0] + "\n"));
      expected.quarantined(b[1], 1);
    }
    lines.add(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'});
    expected.quarantined("invalid_utf8", 1);
    Files.write(dir.resolve("train.jsonl"), TestTexts.concat(lines.toArray(byte[][]::new)));
    Path out = tmp.resolve("ds-jsonl");
    DatasetManifest m = PrepareTextJob.run(spark, config(dir, out, TextFormat.AUTO, "label", false, null, 120)).manifest();
    assertEquals("jsonl", m.source().format());
    assertEquals("label", m.source().labels());
    expected.assertMatches(m.counts());
    assertEquals(List.of("adj.all", "noun.animal", "verb.motion"), m.labelNames(), "names sorted, index = rank");
    for (Row r : PreparedDataset.open(out.toString(), spark).records(spark).collectAsList()) {
      int line = Integer.parseInt(TextRecords.source(r).replaceAll(".*:", ""));
      assertEquals(List.of("adj.all", "noun.animal", "verb.motion").indexOf(names[(line - 1) % 3]), TextRecords.label(r));
    }
  }

  @Test
  void jsonLinesWithIntegerLabels() throws IOException {
    Path file = tmp.resolve("ints.jsonl.gz");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append("{\"body\": \"").append(TestTexts.sentence(700 + i, 5)).append("\", \"y\": ").append(40 + i % 2).append("}\n");
    }
    Files.write(file, TestTexts.gzip(TestTexts.utf8(b.toString())));
    Path out = tmp.resolve("ds-ints");
    PrepareTextConfig c = new PrepareTextConfig(file.toString(), out.toString(), TextFormat.AUTO, null, DocSplit.LINE, "body", "y", null, null,
        UnicodeForm.NFC, false, 1000, 16, false, null, 100, 2, 1000, 2, 7, false);
    DatasetManifest m = PrepareTextJob.run(spark, c).manifest();
    assertNull(m.labelNames(), "integer labels are used as they are");
    assertEquals(6, m.counts().accepted());
    assertTrue(!m.text().lowercase());
    Set<Integer> labels = new HashSet<>();
    PreparedDataset.open(out.toString(), spark).records(spark).collectAsList().forEach(r -> labels.add(TextRecords.label(r)));
    assertEquals(Set.of(40, 41), labels);
  }

  @Test
  void parquetWithAStringOrBinaryColumn() {
    StructType schema = new StructType().add("body", DataTypes.StringType).add("cls", DataTypes.IntegerType);
    List<Row> rows = List.of(RowFactory.create(TestTexts.sentence(800, 6), 1), RowFactory.create(TestTexts.sentence(801, 6), 2),
        RowFactory.create(null, 1), RowFactory.create(TestTexts.sentence(802, 6), null), RowFactory.create(TestTexts.sentence(800, 6), 3));
    Path in = tmp.resolve("pq.parquet");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(in.toString());
    Path out = tmp.resolve("ds-pq");
    PrepareTextConfig c = new PrepareTextConfig(in.toString(), out.toString(), TextFormat.AUTO, null, null, null, null, "body", "cls",
        UnicodeForm.NFC, true, 1000, 16, false, null, 100, 2, 1000, 2, 7, false);
    DatasetManifest m = PrepareTextJob.run(spark, c).manifest();
    assertEquals("parquet", m.source().format());
    // Rows: two sentences, a null text, a null label, a copy of the first sentence.
    new ExpectedCounts().accepted(2).quarantined("missing_field", 2).duplicates(1).assertMatches(m.counts());
    for (Row q : quarantine(out)) {
      assertTrue(q.getAs("source").toString().matches(".*\\.parquet#[0-9]+"), q.toString());
    }

    StructType bin = new StructType().add("text", DataTypes.BinaryType);
    List<Row> raw = List.of(RowFactory.create((Object) TestTexts.utf8("good text")), RowFactory.create((Object) new byte[] {'b', (byte) 0xFF, 'd'}));
    Path inBin = tmp.resolve("pq-bin");
    spark.createDataFrame(raw, bin).coalesce(1).write().parquet(inBin.toString());
    DatasetManifest mb = PrepareTextJob.run(spark, config(inBin, tmp.resolve("ds-pq-bin"), TextFormat.PARQUET, null, false, null, 50)).manifest();
    new ExpectedCounts().accepted(1).quarantined("invalid_utf8", 1).assertMatches(mb.counts());
  }

  @Test
  void paragraphsAndWholeFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("para"));
    Files.writeString(dir.resolve("p.txt"), "first paragraph\nstill first\n\n\n  \t\nsecond one\n\nthird\nlast line");
    Files.writeString(dir.resolve("q.txt"), "another file\n");
    Files.write(dir.resolve("z.txt"), new byte[0]);
    PrepareTextConfig para = new PrepareTextConfig(dir.toString(), tmp.resolve("ds-para").toString(), TextFormat.TEXT, "*.txt", DocSplit.PARAGRAPH,
        null, null, null, null, UnicodeForm.NFC, true, 1000, 16, false, null, 60, 2, 1000, 2, 7, false);
    DatasetManifest mp = PrepareTextJob.run(spark, para).manifest();
    // p.txt: 3 paragraphs (blank and whitespace-only lines separate), q.txt: 1, z.txt: no paragraph, one empty entry.
    new ExpectedCounts().accepted(3 + 1).quarantined("empty", 1).assertMatches(mp.counts());
    Set<String> sources = new HashSet<>();
    PreparedDataset.open(tmp.resolve("ds-para").toString(), spark).records(spark).collectAsList()
        .forEach(r -> sources.add(TextRecords.source(r).replaceAll(".*/", "")));
    assertEquals(Set.of("p.txt:1", "p.txt:6", "p.txt:8", "q.txt:1"), sources);

    PrepareTextConfig file = new PrepareTextConfig(dir.toString(), tmp.resolve("ds-file").toString(), TextFormat.TEXT, null, DocSplit.FILE,
        null, null, null, null, UnicodeForm.NFC, true, 1000, 16, false, null, 60, 2, 1000, 2, 7, false);
    DatasetManifest mf = PrepareTextJob.run(spark, file).manifest();
    // One document per file; the zero-byte file is an empty document.
    new ExpectedCounts().accepted(2).quarantined("empty", 1).assertMatches(mf.counts());
  }

  @Test
  void aDamagedGzipKeepsWhatCameBeforeTheDamage() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("broken"));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      b.append(TestTexts.sentence(1000 + i, 10)).append('\n');
    }
    byte[] gz = TestTexts.gzip(TestTexts.utf8(b.toString()));
    Files.write(dir.resolve("cut.txt.gz"), Arrays.copyOf(gz, gz.length / 2));
    Path out = tmp.resolve("ds-broken");
    DatasetManifest m = PrepareTextJob.run(spark, config(dir, out)).manifest();
    assertEquals(Map.of("corrupt", 1L), m.counts().quarantinedByReason());
    long kept = m.counts().accepted();
    assertTrue(kept > 10 && kept < 400, "the lines before the damage are kept: " + kept);
    Row q = quarantine(out).get(0);
    assertTrue(q.getAs("source").toString().endsWith("cut.txt.gz:" + (kept + 1)), q.toString());
  }

  @Test
  void missingInputAndWrongFormatOptionsAreReportedBeforeAnyWork() {
    DatasetException missing = assertThrows(DatasetException.class, () -> PrepareTextJob.run(spark, config(tmp.resolve("nope"), tmp.resolve("ds-nope"))));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    DatasetException label = assertThrows(DatasetException.class,
        () -> PrepareTextJob.run(spark, config(corpus, tmp.resolve("ds-label"), TextFormat.AUTO, "label", false, null, 100)));
    assertTrue(label.getMessage().contains("--label-field") && label.getMessage().contains("--format jsonl"), label.getMessage());
    assertTrue(Files.notExists(tmp.resolve("ds-label")));
  }

  @Test
  void aCorpusWithNothingAcceptedFailsWithTheReasons() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("all-bad"));
    Files.write(dir.resolve("x.txt"), new byte[] {(byte) 0xFF, '\n', ' ', '\n'});
    DatasetException e = assertThrows(DatasetException.class, () -> PrepareTextJob.run(spark, config(dir, tmp.resolve("ds-all-bad"))));
    assertTrue(e.getMessage().contains("no document was accepted") && e.getMessage().contains("invalid_utf8"), e.getMessage());
    assertTrue(Files.exists(tmp.resolve("ds-all-bad/quarantine")) && Files.notExists(tmp.resolve("ds-all-bad/_SUCCESS")));
  }

  @Test
  void vocabularyFileIsTheManifestsAndSpecialsComeFirst() {
    DatasetManifest m = main();
    Path out = mainOutput;
    Vocabulary v = PreparedDataset.open(out.toString(), spark).vocabulary(spark.sparkContext().hadoopConfiguration());
    assertEquals(Vocabulary.SPECIALS, v.tokens().subList(0, 5));
    assertEquals(m.text().vocabSha256(), v.sha256());
    assertTrue(v.size() <= 200 + 60, "vocab-size 200 (the alphabet may add a few): " + v.size());
    assertTrue(m.text().unknownRate() < 0.01, "a vocabulary trained on the corpus covers it: " + m.text().unknownRate());
  }
}
