package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.image.DecodedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
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
 * Computes features of image records on Spark: a {@code mapPartitions} over the records in which
 * each partition opens the {@link FeatureEncoder} once (for a network: rebuilds it from the
 * broadcast) and encodes its rows in chunks of {@value #CHUNK} images, so a partition never holds
 * more than one chunk of images. Empty partitions build nothing.
 *
 * <p>Output schema {@link #SCHEMA}: {@code id}, {@code source}, {@code label} (nullable int) and
 * {@code representation} ({@code array<float>}, length D), one row per record, in record order.
 */
public final class Features {
  public static final String REPRESENTATION = "representation";
  static final int CHUNK = 1024;

  public static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField(ImageRecords.ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(ImageRecords.SOURCE, DataTypes.StringType, false, Metadata.empty()),
      new StructField(ImageRecords.LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField(REPRESENTATION, DataTypes.createArrayType(DataTypes.FloatType, false), false, Metadata.empty()),
  });

  /** {@code label, representation}: the columns the classifiers read. */
  static org.apache.spark.sql.Column[] labelAndRepresentation() {
    return new org.apache.spark.sql.Column[] {functions.col(ImageRecords.LABEL), functions.col(REPRESENTATION)};
  }

  private Features() {}

  /** The {@code array<float>} at column {@code index} of {@code row} as a {@code float[]}. */
  public static float[] floats(Row row, int index) {
    List<Float> list = row.getList(index);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /** Features of {@code records} ({@link ImageRecords#SCHEMA}); lazy, like any DataFrame. */
  public static Dataset<Row> of(SparkSession spark, Dataset<Row> records, FeatureEncoder encoder) {
    JavaRDD<Row> rows = records.javaRDD().mapPartitions(new EncodePartition(encoder));
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The per-partition function: open the encoder once, then encode chunk by chunk. */
  static final class EncodePartition implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final FeatureEncoder encoder;

    EncodePartition(FeatureEncoder encoder) {
      this.encoder = encoder;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> records) {
      if (!records.hasNext()) {
        return Collections.emptyIterator();
      }
      FeatureEncoder.Open open = encoder.open();
      int[] shape = encoder.imageShape();
      return new ChunkedRows(records, CHUNK, chunk -> {
        List<DecodedImage> images = new ArrayList<>(chunk.size());
        for (Row r : chunk) {
          DecodedImage img = ImageRecords.image(r);
          if (img.channels() != shape[0] || img.height() != shape[1] || img.width() != shape[2]) {
            throw new DatasetException("record " + ImageRecords.id(r) + " (" + r.getString(1) + ") is " + img.channels() + "x"
                + img.height() + "x" + img.width() + ", but the encoder takes " + Arrays.toString(shape) + " (C, H, W)");
          }
          images.add(img);
        }
        float[][] features = open.encode(images);
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          Row r = chunk.get(i);
          out.add(RowFactory.create(ImageRecords.id(r), r.getString(1), ImageRecords.label(r), features[i]));
        }
        return out;
      });
    }
  }
}
