package io.pretext.data.batches.views;

import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.batches.BatchContext;
import io.pretext.data.batches.BatchFactory;
import io.pretext.data.batches.RecipeOptions;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** Serves every {@link MultiViewMethod}: augmented views of image records ({@link ImageViewBatches}). */
public final class ViewBatchFactory implements BatchFactory {

  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public RecipeOptions newRecipeOptions() {
    return new ViewOptions();
  }

  @Override
  public TrainingBatches create(BatchContext c) {
    MultiViewMethod method = (MultiViewMethod) c.method();
    ViewSettings settings = (ViewSettings) c.recipe();
    DatasetManifest.ImageGeometry g = c.dataset().manifest().image();
    if (g == null) {
      throw new DatasetException("dataset " + c.dataset().root() + " has images of different sizes; re-run prepare-images with --resize N");
    }
    ViewGenerator generator = new ViewGenerator(settings.recipes(g.channels(), g.height(), g.width()), c.seed());
    // Kept serialized for the run (spilling to disk): every epoch's shuffle reads the decoded records from here.
    JavaRDD<Row> rows = c.dataset().records(c.spark()).javaRDD().persist(StorageLevel.MEMORY_AND_DISK_SER());
    return new ImageViewBatches(c.spark(), rows, c.dataset().manifest().totalRecords(), generator, method, c.layout(), c.seed(),
        c.state());
  }
}
