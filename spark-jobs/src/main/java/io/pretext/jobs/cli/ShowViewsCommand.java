package io.pretext.jobs.cli;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.batches.views.ViewSettings;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.preview.Png;
import io.pretext.data.preview.ViewGrid;
import io.pretext.data.preview.ViewSamples;
import io.pretext.model.DatasetKind;
import io.pretext.model.method.Methods;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext show-views}: a PNG grid of originals and their augmented views. */
@Command(name = "show-views", mixinStandardHelpOptions = true,
    description = {"Draws a PNG grid of images and their views.",
        "",
        "Each row is an original image followed by its views, made with the same method recipe (--method), view options,",
        "seed and view generator as pretrain (epoch --epoch)."})
public final class ShowViewsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--data", required = true, paramLabel = "URI", description = "Dataset written by prepare-images.")
  String data;

  @Option(names = "--output", required = true, paramLabel = "PNG", description = "PNG file to write (any Hadoop URI).")
  String output;

  @Option(names = "--count", defaultValue = "16", description = "Images (rows) to show, 1..256 (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--method", paramLabel = "NAME",
      description = "Image method whose view recipe to start from (default: the default image method, simclr).")
  String method;

  @Option(names = "--epoch", defaultValue = "0", description = "Epoch whose views to show (default: ${DEFAULT-VALUE}).")
  int epoch;

  @Option(names = "--seed", defaultValue = "42", description = "Seed, as given to pretrain (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tile", defaultValue = "112", description = "Tile side in pixels (default: ${DEFAULT-VALUE}).")
  int tile;

  @Override
  public Integer call() {
    ViewSettings views = Commands.validated(spec, () -> {
      require(count >= 1 && count <= 256, "--count", count, "an integer 1..256");
      require(epoch >= 0, "--epoch", epoch, "an integer >= 0");
      require(tile >= 8 && tile <= 1024, "--tile", tile, "an integer 8..1024");
      require(output.toLowerCase(java.util.Locale.ROOT).endsWith(".png"), "--output", output, "a path ending in .png");
      SslMethod m = Methods.withDefaults(method != null ? method : Methods.defaultFor(DatasetKind.IMAGE).name());
      if (!(m instanceof MultiViewMethod)) {
        throw new IllegalArgumentException("invalid value for --method: '" + method + "' (allowed: a method for images)");
      }
      return (ViewSettings) MethodSelection.recipeOptions(spec).toRecipe(m);
    });
    SparkSession spark = sparkOptions.session("pretext show-views");
    PreparedDataset dataset = PreparedDataset.open(data, spark).requireKind(DatasetKind.IMAGE, "show-views");
    List<FloatImage[]> grid = ViewSamples.rows(spark, dataset, views, seed, count, epoch);
    BufferedImage png = ViewGrid.render(grid, tile, 4);
    HadoopFiles.writeAtomically(new Path(output), Png.encode(png), spark.sparkContext().hadoopConfiguration());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", output);
    fields.put("images", grid.size());
    fields.put("viewsPerImage", views.views());
    fields.put("width", png.getWidth());
    fields.put("height", png.getHeight());
    JsonLine.ok(spec.commandLine().getOut(), "show-views", fields);
    return 0;
  }

}
