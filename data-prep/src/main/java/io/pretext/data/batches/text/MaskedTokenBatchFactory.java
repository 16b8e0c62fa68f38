package io.pretext.data.batches.text;

import io.pretext.data.batches.BatchContext;
import io.pretext.data.batches.BatchFactory;
import io.pretext.data.batches.RecipeOptions;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.text.masking.DynamicMasking;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.model.DatasetKind;
import io.pretext.model.method.MaskedTokenMethod;
import io.pretext.model.method.SslMethod;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/** Serves every {@link MaskedTokenMethod}: dynamically masked token sequences of a text dataset ({@link MaskedTokenBatches}). */
public final class MaskedTokenBatchFactory implements BatchFactory {

  @Override
  public Class<? extends SslMethod> batchType() {
    return MaskedTokenMethod.class;
  }

  @Override
  public RecipeOptions newRecipeOptions() {
    return new MaskingOptions();
  }

  @Override
  public TrainingBatches create(BatchContext c) {
    c.dataset().requireKind(DatasetKind.TEXT, "method " + c.method().name());
    DynamicMasking masking = DynamicMasking.of((MaskingConfig) c.recipe(), c.seed(),
        c.dataset().vocabulary(c.spark().sparkContext().hadoopConfiguration()));
    JavaRDD<Row> rows = c.dataset().records(c.spark()).javaRDD().persist(StorageLevel.MEMORY_AND_DISK_SER());
    LongAccumulator tokens = c.spark().sparkContext().longAccumulator("pretext.roundTokens");
    return new MaskedTokenBatches(rows, c.dataset().manifest().totalRecords(), masking, (MaskedTokenMethod) c.method(), c.layout(),
        c.seed(), tokens);
  }
}
