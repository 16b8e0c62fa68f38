package io.pretext.jobs.cli;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.MultiViewSpec;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.preview.ViewGrid;
import io.pretext.model.InputShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext show-views}: a PNG grid of originals and their augmented views. */
@Command(name = "show-views", mixinStandardHelpOptions = true,
    description = {"Writes a PNG grid: each row is an original image from the dataset followed by its augmented views,",
        "made with the same recipe options, seed and view generator as pretrain (epoch --epoch)."})
public final class ShowViewsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;
  @Mixin ViewOptions views;

  @Option(names = "--data", required = true, paramLabel = "URI", description = "Dataset written by prepare-images.")
  String data;

  @Option(names = "--output", required = true, paramLabel = "PNG", description = "PNG file to write (any Hadoop URI).")
  String output;

  @Option(names = "--count", defaultValue = "16", description = "Images (rows) to show, 1..256 (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--views", defaultValue = "2", description = "Views per image, 1..16 (default: ${DEFAULT-VALUE}; SimCLR trains on 2).")
  int viewCount;

  @Option(names = "--epoch", defaultValue = "0", description = "Epoch whose views to show (default: ${DEFAULT-VALUE}).")
  int epoch;

  @Option(names = "--seed", defaultValue = "42", description = "Seed, as given to pretrain (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tile", defaultValue = "112", description = "Tile side in pixels (default: ${DEFAULT-VALUE}).")
  int tile;

  @Override
  public Integer call() {
    Commands.validated(spec, () -> {
      require(count >= 1 && count <= 256, "--count", count, "an integer 1..256");
      require(viewCount >= 1 && viewCount <= 16, "--views", viewCount, "an integer 1..16");
      require(epoch >= 0, "--epoch", epoch, "an integer >= 0");
      require(tile >= 8 && tile <= 1024, "--tile", tile, "an integer 8..1024");
      require(output.toLowerCase(java.util.Locale.ROOT).endsWith(".png"), "--output", output, "a path ending in .png");
      // Builds the recipe once on a nominal shape so bad recipe options are refused before Spark starts.
      return views.recipe(new InputShape(1, 8, 8));
    });
    SparkSession spark = sparkOptions.session("pretext show-views");
    PreparedDataset dataset = PreparedDataset.open(data, spark);
    DatasetManifest.ImageGeometry g = dataset.manifest().image();
    if (g == null) {
      throw new DatasetException("dataset " + data + " has images of different sizes; show-views needs one size (prepare-images --resize N)");
    }
    ViewGenerator generator = new ViewGenerator(views.recipe(new InputShape(g.channels(), g.height(), g.width())),
        new MultiViewSpec(viewCount, 0, 1, 1, MultiViewSpec.SWAV_SMALL_SCALE_MIN, MultiViewSpec.SWAV_SMALL_SCALE_MAX), seed);
    List<Row> rows = dataset.records(spark).orderBy(ImageRecords.ID).limit(count).collectAsList();
    List<FloatImage[]> grid = new ArrayList<>();
    for (Row r : rows) {
      DecodedImage img = ImageRecords.image(r);
      FloatImage original = FloatImage.fromBytes(img.pixels(), img.channels(), img.height(), img.width());
      FloatImage[] v = generator.views(original, epoch, ViewSeeds.recordKey(ImageRecords.id(r)));
      FloatImage[] row = new FloatImage[v.length + 1];
      row[0] = original;
      System.arraycopy(v, 0, row, 1, v.length);
      grid.add(row);
    }
    BufferedImage png = ViewGrid.render(grid, tile, 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(png, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HadoopFiles.writeAtomically(new Path(output), bytes.toByteArray(), spark.sparkContext().hadoopConfiguration());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", output);
    fields.put("images", grid.size());
    fields.put("viewsPerImage", viewCount);
    fields.put("width", png.getWidth());
    fields.put("height", png.getHeight());
    JsonLine.ok(spec.commandLine().getOut(), "show-views", fields);
    return 0;
  }

}
