package io.pretext.model.lifecycle;

import java.io.Serializable;
import java.util.Objects;

/**
 * A per-record table of the run, written under the run directory ({@link MethodContext#saveLabels}): record id, a
 * label and a sampling weight. While a method's state names one ({@link io.pretext.model.method.MethodState#recordTable}),
 * the batch makers join it to the records by id: every record's label travels into its minibatch
 * ({@link io.pretext.model.batch.ImageBatch#labels()}), and each epoch draws a seeded sample of the corpus's size in
 * which a record appears {@code weight} times in expectation (weights sum to the record count).
 *
 * @param name the table's name in the run directory (what {@link io.pretext.model.method.MethodState#tables} lists)
 * @param uri where it is (Parquet, columns {@code id: string, label: int, weight: double})
 * @param rows records in it
 * @param labels labels are {@code 0 .. labels - 1}
 */
public record RecordTable(String name, String uri, long rows, int labels) implements Serializable {
  /** Column names. */
  public static final String ID = "id";
  public static final String LABEL = "label";
  public static final String WEIGHT = "weight";

  public RecordTable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
  }
}
