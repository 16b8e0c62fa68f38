package io.pretext.data.dataset;

import io.pretext.data.augment.ViewSeeds;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * The Parquet record schema of a text dataset (manifest kind {@code text}, schema version 1). A record is one token
 * sequence of at most the dataset's {@code seqLen} tokens, {@code [CLS] ... [SEP]}:
 * <ul>
 *   <li>{@code id}: the document's content id (32 hex chars: the first 128 bits of SHA-256 over the normalised
 *       document's UTF-8); for a packed sequence, the id of its first document;
 *   <li>{@code source}: where the (first) document came from, e.g. {@code file:/corpus/a.txt:17} (line 17);
 *   <li>{@code label}: nullable int;
 *   <li>{@code window}, {@code windows}: a document longer than one sequence is split into consecutive windows; this is
 *       window {@code window} (from 0) of {@code windows}; 0 and 1 for a document that fits, and for packed sequences;
 *   <li>{@code documents}: documents in the sequence, 1 unless packed (documents separated by {@code [SEP]});
 *   <li>{@code tokens}: the ids, {@code array<int>}; {@code length}: their number.
 * </ul>
 * Rows are sorted by (id, window) within each shard; (id, window) is unique in a dataset.
 */
public final class TextRecords {
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String LABEL = "label";
  public static final String WINDOW = "window";
  public static final String WINDOWS = "windows";
  public static final String DOCUMENTS = "documents";
  public static final String TOKENS = "tokens";
  public static final String LENGTH = "length";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(SOURCE, DataTypes.StringType, false, Metadata.empty()),
      new StructField(LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField(WINDOW, DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(WINDOWS, DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(DOCUMENTS, DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(TOKENS, DataTypes.createArrayType(DataTypes.IntegerType, false), false, Metadata.empty()),
      new StructField(LENGTH, DataTypes.IntegerType, false, Metadata.empty()),
  });

  private TextRecords() {}

  public static Row toRow(String id, String source, Integer label, int window, int windows, int documents, int[] tokens) {
    Integer[] boxed = new Integer[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      boxed[i] = tokens[i];
    }
    return RowFactory.create(id, source, label, window, windows, documents, boxed, tokens.length);
  }

  public static String id(Row row) {
    return row.getString(0);
  }

  public static String source(Row row) {
    return row.getString(1);
  }

  public static Integer label(Row row) {
    return row.isNullAt(2) ? null : row.getInt(2);
  }

  public static int window(Row row) {
    return row.getInt(3);
  }

  public static int windows(Row row) {
    return row.getInt(4);
  }

  public static int documents(Row row) {
    return row.getInt(5);
  }

  /** The token ids of a row read from the shards (a Scala sequence or a Java list of ints, depending on the path). */
  public static int[] tokens(Row row) {
    Object v = row.get(6);
    if (v instanceof Integer[] boxed) {
      int[] out = new int[boxed.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = boxed[i];
      }
      return out;
    }
    List<Integer> list = v instanceof Seq<?> ? row.getList(6) : (List<Integer>) v;
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /**
   * The stable 64-bit key of a record for per-record randomness (dynamic masking, epoch order): the document's
   * {@link ViewSeeds#recordKey(String)} mixed with the window index, so windows of one document differ.
   */
  public static long recordKey(String id, int window) {
    return ViewSeeds.mix64(ViewSeeds.recordKey(id) + 0x9E3779B97F4A7C15L * (window + 1L));
  }

  public static long recordKey(Row row) {
    return recordKey(id(row), window(row));
  }
}
