package io.pretext.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.HadoopFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Thumbnails of quarantined files for the report: what the files behind a quarantine count look like.
 *
 * <p>Everything read is bounded: at most {@code 4 x tiles} lines of the {@code quarantine/} listing, then at most
 * {@code tiles} files, each only when it is at most {@code maxBytes} long, and decoded only when its header declares
 * at most {@value #MAX_PIXELS} pixels. Decoding is lenient, unlike prepare-images: a truncated JPEG that ImageIO fills
 * with grey is shown as far as it decodes, since that is the picture a person wants to see. A file that does not
 * decode, is missing, too large, or is a record inside a container (an IDX or Parquet source, {@code file#...}) gets a
 * placeholder tile that says why.
 */
final class QuarantinePreview {
  static final long MAX_PIXELS = 4L << 20;
  static final int SIDE = 96;
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuarantinePreview() {}

  /** One line of the listing. */
  record Entry(String source, String reason, String detail) {}

  /**
   * A preview: a PNG thumbnail ({@code png} null for a placeholder) and a note saying how it was made or why there
   * is no picture.
   */
  record Tile(Entry entry, byte[] png, int width, int height, String note) {}

  /**
   * Up to {@code tiles} entries of the dataset's quarantine listing, spread over the reasons: reasons take turns in
   * name order, each giving its entries in listing (source) order, so one common reason does not hide the rare ones.
   * At most {@code 4 x tiles} lines are read.
   */
  static List<Entry> sample(Path dataset, Configuration conf, int tiles) throws IOException {
    Path dir = new Path(dataset, "quarantine");
    FileSystem fs = HadoopFiles.fs(dir, conf);
    if (!fs.exists(dir) || tiles == 0) {
      return List.of();
    }
    FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
    Arrays.sort(parts, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    Map<String, List<Entry>> byReason = new TreeMap<>();
    int read = 0;
    for (FileStatus part : parts) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while (read < 4 * tiles && (line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          read++;
          JsonNode n = JSON.readTree(line);
          Entry e = new Entry(n.path("source").asText(""), n.path("reason").asText("unknown"), n.path("detail").asText(""));
          byReason.computeIfAbsent(e.reason(), r -> new ArrayList<>()).add(e);
        }
      }
    }
    List<Entry> out = new ArrayList<>();
    List<Iterator<Entry>> turns = new ArrayList<>();
    byReason.values().forEach(l -> turns.add(l.iterator()));
    boolean any = true;
    while (out.size() < tiles && any) {
      any = false;
      for (Iterator<Entry> it : turns) {
        if (it.hasNext() && out.size() < tiles) {
          out.add(it.next());
          any = true;
        }
      }
    }
    return out;
  }

  /** The preview of one entry; never throws for a bad file, only for a failing file system. */
  static Tile preview(Entry e, Configuration conf, long maxBytes) {
    Path path;
    try {
      path = new Path(e.source());
    } catch (IllegalArgumentException bad) {
      return new Tile(e, null, SIDE, SIDE, "not a path");
    }
    FileSystem fs = HadoopFiles.fs(path, conf);
    FileStatus status;
    try {
      if (!fs.exists(path)) {
        return new Tile(e, null, SIDE, SIDE, e.source().contains("#") ? "a record inside a file, not a file of its own"
            : "no longer at its source");
      }
      status = fs.getFileStatus(path);
    } catch (IOException io) {
      return new Tile(e, null, SIDE, SIDE, "cannot be read: " + io.getMessage());
    }
    if (status.isDirectory()) {
      return new Tile(e, null, SIDE, SIDE, "a directory");
    }
    if (status.getLen() > maxBytes) {
      return new Tile(e, null, SIDE, SIDE, bytes(status.getLen()) + ", larger than the preview limit of " + bytes(maxBytes));
    }
    byte[] content;
    try (InputStream in = fs.open(path)) {
      content = in.readNBytes((int) maxBytes);
    } catch (IOException io) {
      return new Tile(e, null, SIDE, SIDE, "cannot be read: " + io.getMessage());
    }
    if (content.length == 0) {
      return new Tile(e, null, SIDE, SIDE, "0 bytes");
    }
    return decode(e, content);
  }

  /** Lenient decode of {@code content} into a thumbnail, or a placeholder that says why not. */
  static Tile decode(Entry e, byte[] content) {
    String size = bytes(content.length);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return new Tile(e, null, SIDE, SIDE, size + ", not a format ImageIO reads");
      }
      ImageReader reader = readers.next();
      try {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
          return new Tile(e, null, SIDE, SIDE, size + ", header declares " + w + "x" + h + ": not decoded");
        }
        BufferedImage image = reader.read(0);
        BufferedImage thumb = thumbnail(image, SIDE);
        String note = size + ", " + w + "x" + h + (warnings.isEmpty() ? "" : ", decoded in part");
        return new Tile(e, io.pretext.data.preview.Png.encode(thumb), thumb.getWidth(), thumb.getHeight(), note);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException failed) {
      // A file that fails to decode is what a quarantine holds; the placeholder carries the decoder's word.
      String why = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
      return new Tile(e, null, SIDE, SIDE, size + ", does not decode (" + why + ")");
    }
  }

  /** {@code image} scaled to fit {@code side} (never enlarged), bilinear; transparency over white. */
  static BufferedImage thumbnail(BufferedImage image, int side) {
    double scale = Math.min(1.0, side / (double) Math.max(image.getWidth(), image.getHeight()));
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** A placeholder tile as inline SVG: a crossed frame with the reason. */
  static String placeholderSvg(String reason, int side) {
    return String.format(Locale.ROOT, "<svg class=\"placeholder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"no preview: %s\" font-family=\"sans-serif\">"
        + "<rect x=\"0.5\" y=\"0.5\" width=\"%d\" height=\"%d\" fill=\"#f3f3f3\" stroke=\"#bbb\"/>"
        + "<path d=\"M0 0L%d %d M%d 0L0 %d\" stroke=\"#ddd\"/>"
        + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"#B23A00\">%s</text></svg>",
        side, side, side, side, Html.escape(reason), side - 1, side - 1, side, side, side, side, side / 2, side / 2 + 4, Html.escape(reason));
  }

  /** Counts by reason as the manifest gives them, largest first, for the dataset table. */
  static Map<String, Long> byCount(Map<String, Long> byReason) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(byReason.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> out = new LinkedHashMap<>();
    entries.forEach(x -> out.put(x.getKey(), x.getValue()));
    return out;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
