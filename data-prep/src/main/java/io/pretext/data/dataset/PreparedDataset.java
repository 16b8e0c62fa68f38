package io.pretext.data.dataset;

import io.pretext.data.spark.SerializableHadoopConf;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.DatasetKind;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A complete dataset written by {@code prepare-images} or {@code prepare-text}: its manifest and its shards (and, for
 * text, its vocabulary), read with the schema of its kind. Opening one checks {@code _SUCCESS} first, so a half-written
 * dataset (a job that died, or one still running) is refused with an error that says so, instead of training on part of
 * the data.
 */
public final class PreparedDataset {
  private final Path root;
  private final DatasetManifest manifest;
  private boolean verified;

  private PreparedDataset(Path root, DatasetManifest manifest) {
    this.root = root;
    this.manifest = manifest;
  }

  /** Opens the dataset at {@code uri}; throws {@link DatasetException} if it is missing or incomplete. */
  public static PreparedDataset open(String uri, Configuration conf) {
    Objects.requireNonNull(uri, "dataset uri");
    Path root = new Path(uri);
    if (!HadoopFiles.exists(root, conf)) {
      throw new DatasetException("no dataset at " + uri + ": the path does not exist");
    }
    if (!HadoopFiles.exists(new Path(root, DatasetManifest.SUCCESS_MARKER), conf)) {
      throw new DatasetException("dataset at " + uri + " is incomplete: " + DatasetManifest.SUCCESS_MARKER
          + " is missing (the prepare job did not finish, or is still running); re-run the prepare command with --overwrite");
    }
    Path manifestPath = new Path(root, DatasetManifest.FILE_NAME);
    if (!HadoopFiles.exists(manifestPath, conf)) {
      throw new DatasetException("dataset at " + uri + " has no " + DatasetManifest.FILE_NAME);
    }
    DatasetManifest manifest = DatasetManifest.fromJson(HadoopFiles.readString(manifestPath, conf));
    for (DatasetManifest.Shard shard : manifest.shards()) {
      if (shard.file() != null && !HadoopFiles.exists(new Path(root, shard.file()), conf)) {
        throw new DatasetException("dataset at " + uri + " is damaged: shard " + shard.file() + " listed in the manifest is missing");
      }
    }
    return new PreparedDataset(root, manifest);
  }

  public static PreparedDataset open(String uri, SparkSession spark) {
    return open(uri, spark.sparkContext().hadoopConfiguration());
  }

  public DatasetManifest manifest() {
    return manifest;
  }

  public Path root() {
    return root;
  }

  /** Shard files that hold records, as absolute URIs, in shard order. */
  public List<String> shardUris() {
    return manifest.shards().stream().filter(s -> s.file() != null && s.records() > 0)
        .map(s -> new Path(root, s.file()).toString()).toList();
  }

  /** What the records are, from the manifest. */
  public DatasetKind kind() {
    return manifest.datasetKind();
  }

  /**
   * Refuses this dataset unless it holds {@code kind} records.
   *
   * @param who what needs them, for the message (e.g. {@code "method byol"})
   * @throws DatasetException naming both kinds
   */
  public PreparedDataset requireKind(DatasetKind kind, String who) {
    if (kind() != kind) {
      throw new DatasetException("dataset " + root + " holds " + kind() + " records, but " + who + " trains on " + kind
          + " datasets; prepare one with prepare-" + kind + (kind == DatasetKind.IMAGE ? "s" : "") + ", or choose a method for "
          + kind() + " data");
    }
    return this;
  }

  /** The record schema of this dataset's kind: {@link ImageRecords#SCHEMA} or {@link TextRecords#SCHEMA}. */
  public StructType schema() {
    return kind() == DatasetKind.TEXT ? TextRecords.SCHEMA : ImageRecords.SCHEMA;
  }

  /**
   * All records as a DataFrame with {@link #schema()}. The first call verifies every shard against the manifest
   * ({@link #verify}); a damaged or replaced shard is refused before any record is used.
   */
  public Dataset<Row> records(SparkSession spark) {
    if (!verified) {
      verify(spark);
    }
    List<String> uris = shardUris();
    if (uris.isEmpty()) {
      return spark.createDataFrame(List.of(), schema());
    }
    return spark.read().schema(schema()).parquet(uris.toArray(String[]::new));
  }

  /**
   * The text section of the manifest.
   *
   * @throws DatasetException if this is not a text dataset
   */
  public DatasetManifest.TextSection text() {
    if (manifest.datasetKind() != DatasetKind.TEXT || manifest.text() == null) {
      throw new DatasetException("dataset at " + root + " is an " + manifest.kind() + " dataset, not text: prepare one with prepare-text");
    }
    return manifest.text();
  }

  /**
   * The dataset's vocabulary, checked against the SHA-256 in the manifest.
   *
   * @throws DatasetException if it is not a text dataset, or {@code vocab.txt} is missing or was changed
   */
  public Vocabulary vocabulary(Configuration conf) {
    DatasetManifest.TextSection text = text();
    Path file = new Path(root, text.vocabFile());
    if (!HadoopFiles.exists(file, conf)) {
      throw new DatasetException("dataset at " + root + " is damaged: " + text.vocabFile() + " is missing");
    }
    byte[] bytes = HadoopFiles.readBytes(file, conf);
    String sha = Checksums.sha256Hex(bytes);
    if (!sha.equals(text.vocabSha256())) {
      throw new DatasetException("dataset at " + root + " is damaged: " + text.vocabFile() + " has SHA-256 " + sha
          + " but the manifest says " + text.vocabSha256() + "; its token ids no longer match the shards: re-run prepare-text");
    }
    return Vocabulary.parse(bytes, file.toString());
  }

  /** The tokenizer the shards were made with: the dataset's vocabulary and case setting. */
  public BertTokenizer tokenizer(Configuration conf) {
    return new BertTokenizer(vocabulary(conf), text().lowercase());
  }

  /**
   * Checks every shard's size and SHA-256 against the manifest, in the executors, one task per shard: one extra read
   * of the whole dataset, in parallel over the shards, before training starts. Shards the manifest lists without a
   * checksum are not checked.
   *
   * @throws DatasetException naming the shard, both checksums and the fix
   */
  public void verify(SparkSession spark) {
    // {file, bytes, sha256} as plain strings: Kryo cannot carry records
    List<String[]> shards = manifest.shards().stream().filter(s -> s.file() != null && s.sha256() != null)
        .map(s -> new String[] {s.file(), Long.toString(s.bytes()), s.sha256()}).toList();
    if (!shards.isEmpty()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      SerializableHadoopConf conf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
      String base = root.toString();
      List<String> problems = jsc.parallelize(shards, Math.min(shards.size(), Math.max(1, jsc.defaultParallelism() * 2))).map(s -> {
        Path p = new Path(base, s[0]);
        Checksums.FileDigest d;
        try {
          d = Checksums.digest(p.getFileSystem(conf.get()), p);
        } catch (java.io.IOException e) {
          return s[0] + " cannot be read (" + e.getMessage() + ")";
        }
        return d.sha256().equals(s[2]) && Long.toString(d.bytes()).equals(s[1]) ? ""
            : s[0] + " has " + d.bytes() + " bytes and SHA-256 " + d.sha256() + ", the manifest records " + s[1] + " bytes and " + s[2];
      }).filter(m -> !m.isEmpty()).collect();
      if (!problems.isEmpty()) {
        throw new DatasetException("dataset at " + root + " is damaged: " + String.join("; ", problems)
            + "; re-run prepare-" + (kind() == DatasetKind.TEXT ? "text" : "images") + " with --overwrite");
      }
    }
    verified = true;
  }

  /** SHA-256 of {@code manifest.json}, identifying this dataset in training provenance. */
  public String manifestSha256(Configuration conf) {
    return Checksums.sha256Hex(HadoopFiles.readBytes(new Path(root, DatasetManifest.FILE_NAME), conf));
  }
}
