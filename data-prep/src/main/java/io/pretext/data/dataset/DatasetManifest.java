package io.pretext.data.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.model.DatasetKind;
import java.io.IOException;
import java.util.List;
import java.util.SortedMap;

/**
 * {@code manifest.json}: what a prepared dataset holds and how it was made (its provenance).
 * Serialised deterministically (sorted keys, no timestamps), so the same input and configuration
 * give a byte-identical manifest, and its checksum identifies the dataset in a training run.
 *
 * @param schemaVersion format version; readers refuse versions they do not know
 * @param kind what the records are, {@link DatasetKind#manifestName()}: {@code image} or {@code text}
 * @param source where the records came from
 * @param config the preparation settings, as given on the command line
 * @param seed the seed that salted the shard assignment
 * @param image the image geometry when every record shares it, else null
 * @param text the tokenisation settings, vocabulary and token statistics of a text dataset; null (and absent from the
 *     JSON) for images, so image manifests are unchanged
 * @param labelNames label index to name, when the corpus carries labels; null for unlabeled data
 * @param counts the accounting: seen = accepted + duplicates + quarantined
 * @param shards every shard, in index order, including empty ones
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DatasetManifest(
    int schemaVersion,
    String kind,
    Source source,
    SortedMap<String, Object> config,
    long seed,
    ImageGeometry image,
    @JsonInclude(JsonInclude.Include.NON_NULL) TextSection text,
    List<String> labelNames,
    Counts counts,
    List<Shard> shards) {

  /**
   * Current format version. Version 1: image records ({@link ImageRecords}) or, with kind {@code text}, token sequences
   * ({@link TextRecords}) with {@code vocab.txt}; the {@code text} section is optional, so manifests written before it
   * existed still load.
   */
  public static final int SCHEMA_VERSION = 1;
  public static final String FILE_NAME = "manifest.json";
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(SerializationFeature.INDENT_OUTPUT, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @JsonCreator
  public DatasetManifest {}

  /** A manifest without a text section (image datasets). */
  public DatasetManifest(int schemaVersion, String kind, Source source, SortedMap<String, Object> config, long seed,
      ImageGeometry image, List<String> labelNames, Counts counts, List<Shard> shards) {
    this(schemaVersion, kind, source, config, seed, image, null, labelNames, counts, shards);
  }

  /**
   * @param uri the input URI as given
   * @param format images: {@code files}, {@code idx} or {@code parquet}; text: {@code text}, {@code jsonl} or
   *     {@code parquet}
   * @param labels where labels came from: an IDX label file, or the label field or column of a text corpus
   */
  public record Source(String uri, String format, String labels) {}

  /** Channels and size shared by every record. */
  public record ImageGeometry(int channels, int height, int width) {}

  /**
   * How a text dataset was tokenised, and what it holds. Later tokenisation (fill-mask, new text to embed) must use the
   * same vocabulary and {@code lowercase} setting: {@link PreparedDataset#tokenizer} builds it from this section.
   *
   * @param tokenizer {@code bert-wordpiece}: BERT's normaliser and pre-tokenizer, WordPiece with {@code ##} continuation
   *     pieces and at most 100 characters per word, exactly as HuggingFace's BertWordPieceTokenizer
   * @param lowercase uncased ({@code bert-base-uncased}: lower-case and strip accents) or cased
   * @param normalization the Unicode form documents were put in before tokenisation: {@code nfc} or {@code nfkc}
   * @param seqLen most tokens per record, {@code [CLS]} and {@code [SEP]} included
   * @param packed whether short documents share records (RoBERTa's FULL-SENTENCES); never for labeled data
   * @param vocabFile the vocabulary's file name in the dataset directory, {@code vocab.txt}
   * @param vocabSha256 SHA-256 of that file
   * @param vocabSize tokens in it, the five special ones first
   * @param vocabSource {@code trained} (on this corpus) or the URI of the {@code --vocab} file used
   * @param documents unique documents (= counts.accepted)
   * @param windowedDocuments documents longer than one record, split into windows
   * @param sequences records in the shards
   * @param tokens ids in all records, special tokens included
   * @param textTokens WordPiece pieces of the documents (tokens without [CLS] and [SEP])
   * @param unknownTokens {@code [UNK]} among them
   * @param unknownRate unknownTokens / textTokens
   */
  public record TextSection(
      String tokenizer,
      boolean lowercase,
      String normalization,
      int seqLen,
      boolean packed,
      String vocabFile,
      String vocabSha256,
      int vocabSize,
      String vocabSource,
      long documents,
      long windowedDocuments,
      long sequences,
      long tokens,
      long textTokens,
      long unknownTokens,
      double unknownRate) {
    /** The one tokenizer this version writes. */
    public static final String BERT_WORDPIECE = "bert-wordpiece";
  }

  /**
   * Record accounting; {@code seen == accepted + duplicates + quarantined} always holds (a manifest where it does not is
   * refused on reading). A prepare job counts each number on its own ({@link #counted}), so that the identity checks its
   * work rather than holding by construction.
   */
  /** Whether the corpus carried labels: label names, or a label source (an IDX label file, a label field or column). */
  public boolean labelled() {
    return labelNames != null || source != null && source.labels() != null;
  }

  public record Counts(long seen, long accepted, long duplicates, long quarantined, SortedMap<String, Long> quarantinedByReason) {
    public Counts {
      if (seen != accepted + duplicates + quarantined) {
        throw new IllegalArgumentException("counts do not add up: seen " + seen + " != accepted " + accepted
            + " + duplicates " + duplicates + " + quarantined " + quarantined);
      }
      long byReason = quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
      if (byReason != quarantined) {
        throw new IllegalArgumentException("quarantine reasons sum to " + byReason + ", not " + quarantined);
      }
    }

    /**
     * The counts of a prepare job, each counted independently: {@code seen} the outcomes of validation, {@code accepted}
     * the records (images) or documents (text) in the written shards, {@code duplicates} the rows of the written
     * {@code duplicates/} listing, {@code quarantinedByReason} the rows of the written {@code quarantine/} listing by
     * reason ({@code quarantined} is their sum).
     *
     * @param job the job, for the message
     * @throws IllegalStateException if they do not add up to {@code seen}: a record was lost or written twice between
     *     validation and the dataset, a bug in Pretext (the dataset is then not committed: no manifest, no
     *     {@code _SUCCESS})
     */
    public static Counts counted(String job, long seen, long accepted, long duplicates, SortedMap<String, Long> quarantinedByReason) {
      long quarantined = quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
      if (seen != accepted + duplicates + quarantined) {
        throw new IllegalStateException(job + ": the counts do not add up, " + seen + " records seen but " + accepted
            + " accepted + " + duplicates + " duplicates + " + quarantined + " quarantined " + quarantinedByReason + " = "
            + (accepted + duplicates + quarantined) + " written; this is a bug in Pretext, and the dataset was not committed");
      }
      return new Counts(seen, accepted, duplicates, quarantined, quarantinedByReason);
    }
  }

  /** One Parquet shard: its relative path (null when it holds no records), record count and SHA-256. */
  public record Shard(int index, String file, long records, long bytes, String sha256) {}

  /**
   * The parsed {@link #kind()}.
   *
   * @throws DatasetException if the manifest names a kind this version does not know
   */
  public DatasetKind datasetKind() {
    try {
      return DatasetKind.fromManifest(kind);
    } catch (IllegalArgumentException e) {
      throw new DatasetException("manifest.json is not valid: " + e.getMessage()
          + "; the dataset was written by another version of Pretext, or the file was edited", e);
    }
  }

  public long totalRecords() {
    return shards.stream().mapToLong(Shard::records).sum();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise manifest", e);
    }
  }

  public static DatasetManifest fromJson(String json) {
    try {
      DatasetManifest m = JSON.readValue(json, DatasetManifest.class);
      if (m.schemaVersion() < 1 || m.schemaVersion() > SCHEMA_VERSION) {
        throw new DatasetException("manifest schemaVersion " + m.schemaVersion()
            + " is not supported by this version of Pretext (supports 1.." + SCHEMA_VERSION + ")");
      }
      m.datasetKind();
      return m;
    } catch (IOException e) {
      throw new DatasetException("manifest.json is not valid: " + e.getMessage(), e);
    }
  }
}
