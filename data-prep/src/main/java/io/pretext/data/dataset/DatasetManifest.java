package io.pretext.data.dataset;

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
    List<String> labelNames,
    Counts counts,
    List<Shard> shards) {

  /** Current format version. Version 1: image records (id, source, label, channels, height, width, pixels). */
  public static final int SCHEMA_VERSION = 1;
  public static final String FILE_NAME = "manifest.json";
  public static final String SUCCESS_MARKER = "_SUCCESS";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(SerializationFeature.INDENT_OUTPUT, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** @param uri the input URI as given; @param format {@code files}, {@code idx} or {@code parquet} */
  public record Source(String uri, String format, String labels) {}

  /** Channels and size shared by every record. */
  public record ImageGeometry(int channels, int height, int width) {}

  /** Record accounting; {@code seen == accepted + duplicates + quarantined} always holds. */
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
