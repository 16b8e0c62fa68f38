package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.TextRecords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Document features of text records on Spark. Each record is one window of a document ({@link TextRecords}); the
 * encoder gives every window its representation ({@link TextEncoder}: for {@code mlm} the mean of the final hidden
 * states over the window's real tokens), and a document's representation is the unweighted mean of its windows'
 * (a document that fits one sequence is its window). A packed sequence (unlabeled corpora prepared with
 * {@code --pack}) counts as one document.
 *
 * <p>The window pass is a {@code mapPartitions} that opens the encoder once per partition and encodes chunks of
 * {@value #CHUNK} windows; the mean is a Spark aggregation by document id ({@link Summarizer#mean}, in double
 * precision), so it holds whichever partitions a document's windows are read from.
 *
 * <p>Output: {@link Features#SCHEMA}, one row per document: id, source (of window 0), label, representation.
 */
public final class TextFeatures {
  static final int CHUNK = 1024;

  /** One row per window: id, source, label, window, windows, representation. */
  static final StructType WINDOW_SCHEMA = new StructType(new StructField[] {
      new StructField(TextRecords.ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(TextRecords.SOURCE, DataTypes.StringType, false, Metadata.empty()),
      new StructField(TextRecords.LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField(TextRecords.WINDOW, DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(TextRecords.WINDOWS, DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(Features.REPRESENTATION, DataTypes.createArrayType(DataTypes.FloatType, false), false, Metadata.empty()),
  });

  private TextFeatures() {}

  /** Window representations of {@code records} ({@link TextRecords#SCHEMA}) in {@link #WINDOW_SCHEMA}; lazy. */
  public static Dataset<Row> windows(SparkSession spark, Dataset<Row> records, TextEncoder encoder) {
    JavaRDD<Row> rows = records.javaRDD().mapPartitions(new EncodePartition(encoder));
    return spark.createDataFrame(rows, WINDOW_SCHEMA);
  }

  /** Document representations of {@code records} in {@link Features#SCHEMA}; lazy. */
  public static Dataset<Row> of(SparkSession spark, Dataset<Row> records, TextEncoder encoder) {
    return documents(windows(spark, records, encoder));
  }

  /**
   * The per-document mean of window representations ({@link #WINDOW_SCHEMA} to {@link Features#SCHEMA}). A document
   * whose windows are not all present fails the job when the rows are computed (a damaged dataset, never a silently
   * shorter mean).
   */
  static Dataset<Row> documents(Dataset<Row> windows) {
    Column vector = org.apache.spark.ml.functions.array_to_vector(functions.col(Features.REPRESENTATION)).as("v");
    Dataset<Row> grouped = windows.select(functions.col(TextRecords.ID), functions.col(TextRecords.SOURCE), functions.col(TextRecords.LABEL),
            functions.col(TextRecords.WINDOW), functions.col(TextRecords.WINDOWS), vector)
        .groupBy(TextRecords.ID)
        .agg(functions.min_by(functions.col(TextRecords.SOURCE), functions.col(TextRecords.WINDOW)).as(TextRecords.SOURCE),
            functions.first(TextRecords.LABEL).as(TextRecords.LABEL),
            functions.count(functions.lit(1)).as("present"),
            functions.first(TextRecords.WINDOWS).as(TextRecords.WINDOWS),
            Summarizer.mean(functions.col("v")).as("mean"));
    Column complete = functions.when(functions.col("present").equalTo(functions.col(TextRecords.WINDOWS)), functions.lit(true))
        .otherwise(functions.raise_error(functions.concat(functions.lit("document "), functions.col(TextRecords.ID),
            functions.lit(" has "), functions.col("present").cast("string"), functions.lit(" of its "),
            functions.col(TextRecords.WINDOWS).cast("string"), functions.lit(" windows; the dataset is damaged: re-run prepare-text"))));
    // The grouping shuffles into spark.sql.shuffle.partitions (200) partitions; every iteration of the probe that
    // follows runs one task per partition, so a small evaluation would spend its time scheduling: one per core.
    return grouped.filter(complete).select(functions.col(TextRecords.ID), functions.col(TextRecords.SOURCE), functions.col(TextRecords.LABEL),
        org.apache.spark.ml.functions.vector_to_array(functions.col("mean"), "float32").as(Features.REPRESENTATION))
        .coalesce(windows.sparkSession().sparkContext().defaultParallelism());
  }

  /** The per-partition function: open the encoder once, then encode chunk by chunk. */
  static final class EncodePartition implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final TextEncoder encoder;

    EncodePartition(TextEncoder encoder) {
      this.encoder = encoder;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> records) {
      if (!records.hasNext()) {
        return Collections.emptyIterator();
      }
      TextEncoder.Open open = encoder.open();
      return new ChunkedRows(records, CHUNK, chunk -> {
        List<int[]> windows = new ArrayList<>(chunk.size());
        for (Row r : chunk) {
          int[] tokens = TextRecords.tokens(r);
          if (tokens.length < 1 || tokens.length > encoder.maxLength()) {
            throw new DatasetException("record " + TextRecords.id(r) + " window " + TextRecords.window(r) + " (" + TextRecords.source(r)
                + ") has " + tokens.length + " tokens, but the encoder takes 1.." + encoder.maxLength()
                + "; prepare the dataset with a --seq-len of at most the training data's");
          }
          windows.add(tokens);
        }
        float[][] features = open.encode(windows);
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          Row r = chunk.get(i);
          out.add(RowFactory.create(TextRecords.id(r), TextRecords.source(r), TextRecords.label(r), TextRecords.window(r),
              TextRecords.windows(r), features[i]));
        }
        return out;
      });
    }
  }
}
