package io.pretext.data.dataset;

import io.pretext.data.image.DecodedImage;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet record schema of an image dataset (manifest kind {@code image}, schema version 1):
 * {@code id} (32 hex chars: the first 128 bits of SHA-256 over channels, height, width and pixels),
 * {@code source} (where it came from: a URI, or {@code uri#index} inside an IDX or Parquet file),
 * {@code label} (nullable int), {@code channels}, {@code height}, {@code width}, and {@code pixels}
 * (uint8, CHW).
 */
public final class ImageRecords {
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String LABEL = "label";
  public static final String PIXELS = "pixels";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(SOURCE, DataTypes.StringType, false, Metadata.empty()),
      new StructField(LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField("channels", DataTypes.IntegerType, false, Metadata.empty()),
      new StructField("height", DataTypes.IntegerType, false, Metadata.empty()),
      new StructField("width", DataTypes.IntegerType, false, Metadata.empty()),
      new StructField(PIXELS, DataTypes.BinaryType, false, Metadata.empty()),
  });

  private ImageRecords() {}

  public static Row toRow(String id, String source, Integer label, DecodedImage image) {
    return RowFactory.create(id, source, label, image.channels(), image.height(), image.width(), image.pixels());
  }

  public static String id(Row row) {
    return row.getString(0);
  }

  public static Integer label(Row row) {
    return row.isNullAt(2) ? null : row.getInt(2);
  }

  public static DecodedImage image(Row row) {
    return new DecodedImage(row.getInt(3), row.getInt(4), row.getInt(5), (byte[]) row.get(6));
  }
}
