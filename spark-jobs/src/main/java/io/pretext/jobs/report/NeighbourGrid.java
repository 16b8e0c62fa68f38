package io.pretext.jobs.report;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.preview.Png;
import io.pretext.data.preview.ViewGrid;
import io.pretext.jobs.eval.EncoderSource;
import io.pretext.jobs.eval.FeatureEncoder;
import io.pretext.jobs.eval.FeatureKind;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.NearestNeighbours;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.jobs.run.Checkpoint;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The report's nearest-neighbour grid: a few query images of a dataset, each with its {@code k} nearest neighbours
 * in that dataset by the trained encoder's representation (cosine similarity), computed on Spark with the
 * evaluation's encoder ({@link NetworkEncoder}, {@link Features}) and {@link NearestNeighbours}.
 *
 * <p>The pool is the whole dataset up to {@code maxPool} records; a larger dataset is thinned deterministically to
 * about {@code maxPool} by a hash of the record id, which keeps Spark's partitions (and so its parallelism). Queries
 * come from the pool, by id order: with labels, the first record of each class (so every class is asked once, up to
 * {@code queries}), then further records; without labels, the first {@code queries} records.
 */
final class NeighbourGrid {
  private NeighbourGrid() {}

  /**
   * One tile: a square PNG thumbnail of side {@code natural}, shown at {@code display} CSS pixels, and its caption;
   * {@code sameLabel} is null when either side has no label (and for the query itself).
   */
  record Cell(byte[] png, int natural, int display, String caption, Boolean sameLabel) {}

  /** A query and its neighbours, best first. */
  record GridRow(Cell query, List<Cell> neighbours) {}

  /**
   * @param pool the records searched
   * @param poolSize how many records the search covered
   */
  record Result(List<GridRow> rows, long poolSize, boolean labeled) {}

  static Result compute(SparkSession spark, Checkpoint checkpoint, PreparedDataset dataset, int queries, int k, long maxPool) {
    DatasetManifest.ImageGeometry g = dataset.manifest().image();
    if (g == null) {
      throw new DatasetException("dataset " + dataset.root() + " has images of different sizes; the neighbour grid needs one size");
    }
    Dataset<Row> records = dataset.records(spark);
    long total = dataset.manifest().totalRecords();
    if (total > maxPool) {
      long stride = (total + maxPool - 1) / maxPool;
      records = records.filter(functions.pmod(functions.xxhash64(functions.col(ImageRecords.ID)), functions.lit(stride)).equalTo(0));
    }
    FeatureEncoder encoder = EncoderSource.of(spark, FeatureKind.TRAINED, checkpoint, new int[] {g.channels(), g.height(), g.width()},
        0, 256);
    Dataset<Row> features = Features.of(spark, records, encoder).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long poolSize = features.count();
      if (encoder instanceof NetworkEncoder n) {
        n.release();
      }
      List<Row> chosen = chooseQueries(features, queries);
      boolean labeled = chosen.stream().allMatch(r -> !r.isNullAt(2));
      List<NearestNeighbours.Query> qs = new ArrayList<>();
      for (Row r : chosen) {
        qs.add(new NearestNeighbours.Query(r.getString(0), Features.floats(r, 3)));
      }
      List<List<NearestNeighbours.Neighbour>> found = NearestNeighbours.find(spark, features, qs, k);

      Set<String> ids = new LinkedHashSet<>();
      chosen.forEach(r -> ids.add(r.getString(0)));
      found.forEach(list -> list.forEach(n -> ids.add(n.id())));
      Map<String, DecodedImage> images = new HashMap<>();
      for (Row r : dataset.records(spark).filter(functions.col(ImageRecords.ID).isin(ids.toArray())).collectAsList()) {
        images.put(ImageRecords.id(r), ImageRecords.image(r));
      }
      List<String> names = dataset.manifest().labelNames();
      List<GridRow> rows = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        Row q = chosen.get(i);
        Integer qLabel = q.isNullAt(2) ? null : q.getInt(2);
        Cell query = new Cell(tile(images.get(q.getString(0))), natural(g), side(g), qLabel == null ? "query" : "query: " + labelName(names, qLabel), null);
        List<Cell> cells = new ArrayList<>();
        for (NearestNeighbours.Neighbour n : found.get(i)) {
          String caption = String.format(java.util.Locale.ROOT, "%.3f", n.similarity())
              + (n.label() == null ? "" : " " + labelName(names, n.label()));
          Boolean same = qLabel == null || n.label() == null ? null : qLabel.equals(n.label());
          cells.add(new Cell(tile(images.get(n.id())), natural(g), side(g), caption, same));
        }
        rows.add(new GridRow(query, cells));
      }
      return new Result(rows, poolSize, labeled);
    } finally {
      features.unpersist(false);
    }
  }

  /** Queries by id order: the first of each class while classes last, then the next records; unlabeled: the first. */
  static List<Row> chooseQueries(Dataset<Row> features, int queries) {
    Column id = functions.col(ImageRecords.ID);
    List<Row> first = features.orderBy(id).limit(Math.max(queries, 1) * 64).collectAsList();
    List<Row> out = new ArrayList<>();
    Set<Integer> seen = new java.util.HashSet<>();
    for (Row r : first) {
      if (out.size() < queries && !r.isNullAt(2) && seen.add(r.getInt(2))) {
        out.add(r);
      }
    }
    for (Row r : first) {
      if (out.size() >= queries) {
        break;
      }
      if (!out.contains(r)) {
        out.add(r);
      }
    }
    out.sort((a, b) -> {
      boolean la = a.isNullAt(2);
      boolean lb = b.isNullAt(2);
      if (la || lb) {
        return a.getString(0).compareTo(b.getString(0));
      }
      int c = Integer.compare(a.getInt(2), b.getInt(2));
      return c != 0 ? c : a.getString(0).compareTo(b.getString(0));
    });
    return out;
  }

  static String labelName(List<String> names, int label) {
    return names != null && label >= 0 && label < names.size() ? names.get(label) : "class " + label;
  }

  /** Display side of a tile: small images are shown enlarged (pixelated) to at least 48 px, large ones at most 96 px. */
  static int side(DatasetManifest.ImageGeometry g) {
    int s = Math.max(g.height(), g.width());
    return s <= 32 ? s * Math.max(2, (47 + s) / s) : Math.min(96, s);
  }

  /** Side of a tile's PNG ({@link #tile}). */
  static int natural(DatasetManifest.ImageGeometry g) {
    return Math.min(96, Math.max(g.height(), g.width()));
  }

  /** A square PNG of the image at its own size, or 96 px when it is larger. */
  static byte[] tile(DecodedImage img) {
    FloatImage f = FloatImage.fromBytes(img.pixels(), img.channels(), img.height(), img.width());
    int side = Math.max(img.height(), img.width());
    BufferedImage native1 = ViewGrid.render(List.<FloatImage[]>of(new FloatImage[] {f}), side, 0);
    return Png.encode(side <= 96 ? native1 : QuarantinePreview.thumbnail(native1, 96));
  }
}
