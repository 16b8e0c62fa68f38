package io.pretext.data.text;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.DatasetWriter;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ShardPartitioner;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.text.tokenizer.BasicTokenizer;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.data.text.tokenizer.WordPieceTrainer;
import io.pretext.model.DatasetKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code prepare-text} job. Order of work:
 * <ol>
 *   <li>check {@code --vocab} if given, list the input (driver), refuse an existing output unless overwriting;
 *   <li>read and validate every document in the executors ({@link TextFileReader}, {@link DocumentValidator}; cached);
 *   <li>count the outcomes (seen), drop exact duplicates (same normalised text) keeping the lexicographically smallest
 *       source, write the quarantine and duplicate listings and count their rows;
 *   <li>the vocabulary: {@code --vocab}, or trained ({@link WordPieceTrainer}) on the words of the unique documents,
 *       counted in the executors; written as {@code vocab.txt};
 *   <li>partition documents by {@link ShardPartitioner} on their id, sort by id within each shard, tokenise there
 *       ({@link BertTokenizer}) and cut into records ({@link TextSequences}), write the shards through the shared
 *       {@link DatasetWriter};
 *   <li>read the shards' token statistics and documents back (the accepted count), check that accepted, duplicates and
 *       quarantined, each counted on what was written, add up to seen ({@link DatasetManifest.Counts#counted}), write the
 *       manifest, then {@code _SUCCESS}.
 * </ol>
 * The same input and settings give byte-identical shards, vocabulary and manifest (tested in one JVM).
 */
public final class PrepareTextJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareTextJob.class);

  private PrepareTextJob() {}

  public static PrepareTextResult run(SparkSession spark, PrepareTextConfig config) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Vocabulary given = config.vocab() == null ? null : readVocabulary(config.vocab(), config.lowercase(), conf);
    TextCorpusReader.Corpus corpus = TextCorpusReader.read(spark, config);
    LOG.info("prepare-text: reading {} as {}{}", config.input(), corpus.format().optionValue(),
        corpus.files() == null ? "" : " (" + corpus.files().size() + " files"
            + (corpus.hidden().isEmpty() ? "" : "; " + corpus.hidden().size() + " hidden files quarantined unread") + ")");
    DatasetWriter writer = DatasetWriter.open(spark, config.output(), config.overwrite());
    DocumentValidator validator = new DocumentValidator(config, corpus.format());
    // Cached as objects, not serialized: every later step reads them back several times, and a JFR profile of the
    // WordNet corpus spent a third of its CPU in Kryo's per-record reference-resolver reset when they were _SER.
    JavaRDD<TextOutcome> outcomes = corpus.documents().map(validator::validate).persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<String, TextOutcome> unique = null;
    try {
      JavaPairRDD<String, TextOutcome> byId = outcomes.filter(TextOutcome::isAccepted).mapToPair(o -> new Tuple2<>(o.id(), o));
      int partitions = Math.max(outcomes.getNumPartitions(), JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism());
      unique = byId.reduceByKey((a, b) -> a.source().compareTo(b.source()) <= 0 ? a : b, partitions)
          .persist(StorageLevel.MEMORY_AND_DISK());
      return write(spark, config, corpus.format(), given, outcomes, byId, unique, writer, start);
    } finally {
      outcomes.unpersist(false);
      if (unique != null) {
        unique.unpersist(false);
      }
    }
  }

  private static PrepareTextResult write(SparkSession spark, PrepareTextConfig config, TextFormat format, Vocabulary given,
      JavaRDD<TextOutcome> outcomes, JavaPairRDD<String, TextOutcome> byId, JavaPairRDD<String, TextOutcome> uniqueById,
      DatasetWriter writer, long start) {
    long seen = outcomes.count();
    long unique = uniqueById.count();
    // Each count on its own, from what was written: the identity seen = accepted + duplicates + quarantined is a check.
    SortedMap<String, Long> byReason = writer.writeQuarantine(
        outcomes.filter(o -> !o.isAccepted()).map(o -> RowFactory.create(o.source(), o.reason(), o.detail())));
    long duplicates = writer.writeDuplicates(byId.mapValues(TextOutcome::source));
    LOG.info("prepare-text: validated {} documents: {} unique, {} duplicates, quarantined {} ({} s)", seen, unique, duplicates, byReason,
        seconds(start));

    long vocabStart = System.nanoTime();
    Vocabulary vocab = given != null ? given : train(uniqueById, config, seen, byReason, writer);
    long vocabMillis = given != null ? 0 : (System.nanoTime() - vocabStart) / 1_000_000;
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    HadoopFiles.writeAtomically(new Path(writer.root(), Vocabulary.FILE_NAME), vocab.toBytes(), conf);

    Labels labels = labels(uniqueById, config);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<List<String>> tokens = jsc.broadcast(vocab.tokens());
    Broadcast<Map<String, Integer>> labelIndex = jsc.broadcast(labels.index());
    boolean lowercase = config.lowercase();
    int seqLen = config.seqLen();
    boolean pack = config.pack();
    JavaRDD<Row> rows = uniqueById.repartitionAndSortWithinPartitions(new ShardPartitioner(config.shards(), config.seed()))
        .mapPartitions(docs -> new Records(docs, new BertTokenizer(Vocabulary.of(tokens.value()), lowercase), seqLen, pack, labelIndex.value()));
    List<DatasetManifest.Shard> shards = writer.writeShards(rows, TextRecords.SCHEMA, config.shards());
    LOG.info("prepare-text: wrote {} shards ({} s)", shards.size(), seconds(start));

    DatasetManifest.TextSection text = statistics(spark, writer.root(), shards, config, vocab);
    DatasetManifest.Counts counts = DatasetManifest.Counts.counted("prepare-text", seen, text.documents(), duplicates, byReason);
    DatasetManifest manifest = new DatasetManifest(DatasetManifest.SCHEMA_VERSION, DatasetKind.TEXT.manifestName(),
        new DatasetManifest.Source(config.input(), format.optionValue(), config.labeled() ? (config.labelField() != null ? config.labelField() : config.labelColumn()) : null),
        config.asManifestMap(format), config.seed(), null, text, labels.names(), counts, shards);
    writer.commit(manifest);
    return new PrepareTextResult(writer.root().toString(), manifest, (System.nanoTime() - start) / 1_000_000, vocabMillis);
  }

  /**
   * Reads {@code --vocab}. When it is the vocabulary of a prepared text dataset (a {@code manifest.json} beside it), the
   * case setting must match the one it was made with, or the ids would not mean what they meant there.
   */
  private static Vocabulary readVocabulary(String uri, boolean lowercase, Configuration conf) {
    Path p = new Path(uri);
    if (!HadoopFiles.exists(p, conf)) {
      throw new DatasetException("--vocab " + uri + " does not exist");
    }
    Vocabulary v;
    try {
      v = Vocabulary.parse(HadoopFiles.readBytes(p, conf), "--vocab " + uri);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(e.getMessage(), e);
    }
    Path manifest = new Path(p.getParent(), DatasetManifest.FILE_NAME);
    if (p.getParent() != null && HadoopFiles.exists(manifest, conf)) {
      DatasetManifest.TextSection text = DatasetManifest.fromJson(HadoopFiles.readString(manifest, conf)).text();
      if (text != null && text.vocabSha256().equals(v.sha256()) && text.lowercase() != lowercase) {
        throw new DatasetException("--vocab " + uri + " belongs to a dataset tokenised " + (text.lowercase() ? "uncased" : "cased")
            + " (its manifest.json); " + (text.lowercase() ? "pass --lowercase" : "drop --lowercase") + " so the ids mean the same");
      }
    }
    return v;
  }

  /** Word counts in the executors, the merges on the driver. */
  private static Vocabulary train(JavaPairRDD<String, TextOutcome> unique, PrepareTextConfig config, long seen,
      SortedMap<String, Long> byReason, DatasetWriter writer) {
    long t0 = System.nanoTime();
    BasicTokenizer basic = new BasicTokenizer(config.lowercase());
    Map<String, Long> counts = unique.values().flatMap(o -> basic.words(o.text()).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1L)).reduceByKey(Long::sum).collectAsMap();
    if (counts.isEmpty()) {
      throw new DatasetException("no document was accepted (" + seen + " seen, quarantined " + byReason
          + "): there is nothing to train a vocabulary on; see " + new Path(writer.root(), "quarantine"));
    }
    LOG.info("prepare-text: counted {} distinct words ({} s); training a {}-token WordPiece vocabulary", counts.size(), seconds(t0),
        config.vocabSize());
    long t1 = System.nanoTime();
    Vocabulary v = WordPieceTrainer.train(counts, config.trainer());
    LOG.info("prepare-text: trained {} tokens ({} s)", v.size(), seconds(t1));
    return v;
  }

  /** Label index by label as read, and the names for the manifest (null when the labels are integers or absent). */
  private record Labels(Map<String, Integer> index, List<String> names) {}

  private static Labels labels(JavaPairRDD<String, TextOutcome> unique, PrepareTextConfig config) {
    if (!config.labeled()) {
      return new Labels(Map.of(), null);
    }
    List<String> kinds = unique.values().map(o -> (o.labelIsInt() ? "i" : "s") + o.label()).distinct().collect();
    boolean ints = kinds.stream().allMatch(k -> k.startsWith("i"));
    TreeMap<String, Integer> index = new TreeMap<>();
    if (ints) {
      kinds.forEach(k -> index.put(k.substring(1), Integer.parseInt(k.substring(1))));
      return new Labels(index, null);
    }
    // Names (mixed with integers, these count as names too): index = rank in sorted order, as with folder labels.
    new java.util.TreeSet<>(kinds.stream().map(k -> k.substring(1)).toList()).forEach(n -> index.put(n, index.size()));
    return new Labels(index, new ArrayList<>(index.keySet()));
  }

  /**
   * Token statistics read back from the shards: exactly what was written. Documents are counted there too, as the
   * manifest's accepted count: a document of several windows once (at window 0), a record of packed documents for each.
   */
  private static DatasetManifest.TextSection statistics(SparkSession spark, Path root, List<DatasetManifest.Shard> shards,
      PrepareTextConfig config, Vocabulary vocab) {
    String[] uris = shards.stream().filter(s -> s.file() != null && s.records() > 0).map(s -> new Path(root, s.file()).toString()).toArray(String[]::new);
    long sequences = 0;
    long tokens = 0;
    long separators = 0;
    long unknown = 0;
    long windowed = 0;
    long documents = 0;
    if (uris.length > 0) {
      Row r = spark.read().schema(TextRecords.SCHEMA).parquet(uris).agg(
          functions.count(functions.lit(1)),
          functions.sum(TextRecords.LENGTH),
          functions.sum(functions.col(TextRecords.DOCUMENTS).plus(1)),
          functions.sum(functions.expr("size(filter(" + TextRecords.TOKENS + ", x -> x = 1))")),
          functions.sum(functions.when(functions.col(TextRecords.WINDOW).equalTo(0).and(functions.col(TextRecords.WINDOWS).gt(1)), 1).otherwise(0)),
          functions.sum(functions.when(functions.col(TextRecords.WINDOWS).gt(1), functions.when(functions.col(TextRecords.WINDOW).equalTo(0), 1)
              .otherwise(0)).otherwise(functions.col(TextRecords.DOCUMENTS))))
          .first();
      sequences = r.getLong(0);
      tokens = r.getLong(1);
      separators = r.getLong(2);
      unknown = r.getLong(3);
      windowed = r.getLong(4);
      documents = r.getLong(5);
    }
    long textTokens = tokens - separators;
    double rate = textTokens == 0 ? 0 : Math.round(unknown * 1e6 / textTokens) / 1e6;
    return new DatasetManifest.TextSection(DatasetManifest.TextSection.BERT_WORDPIECE, config.lowercase(), config.normalize().optionValue(),
        config.seqLen(), config.pack(), Vocabulary.FILE_NAME, vocab.sha256(), vocab.size(),
        config.vocab() == null ? "trained" : config.vocab(), documents, windowed, sequences, tokens, textTokens, unknown, rate);
  }

  private static String seconds(long since) {
    return String.format("%.1f", (System.nanoTime() - since) / 1e9);
  }

  /** One shard's documents (in id order) to its records, lazily. */
  private static final class Records implements Iterator<Row> {
    private final Iterator<Tuple2<String, TextOutcome>> docs;
    private final BertTokenizer tokenizer;
    private final Map<String, Integer> labelIndex;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final TextSequences.Assembler assembler;
    private boolean flushed;

    Records(Iterator<Tuple2<String, TextOutcome>> docs, BertTokenizer tokenizer, int seqLen, boolean pack, Map<String, Integer> labelIndex) {
      this.docs = docs;
      this.tokenizer = tokenizer;
      this.labelIndex = labelIndex;
      BitSet continuation = tokenizer.vocabulary().continuationFlags();
      this.assembler = new TextSequences.Assembler(seqLen, pack, continuation, ready::add);
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty()) {
        if (docs.hasNext()) {
          TextOutcome o = docs.next()._2();
          Integer label = o.label() == null ? null : labelIndex.get(o.label());
          assembler.add(o.id(), o.source(), label, tokenizer.encode(o.text()));
        } else if (!flushed) {
          flushed = true;
          assembler.flush();
        } else {
          return false;
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }
  }
}
