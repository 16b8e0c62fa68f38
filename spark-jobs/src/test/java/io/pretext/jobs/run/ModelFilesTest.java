package io.pretext.jobs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files from untrusted places: each crafted file is refused with an error that says what is wrong. */
class ModelFilesTest {
  @TempDir static Path tmp;
  static ComputationGraph graph;
  static Map<String, byte[]> entries;
  static FileSystem fs;

  @BeforeAll
  static void model() throws IOException {
    SimClr method = new SimClr(new SimClrConfig(0.5, new ProjectionHead(List.of(8), 8, false)));
    graph = method.build(Encoders.byName("small-cnn"), new InputShape(1, 8, 8), GraphSettings.of(3, OptimizerConfig.adamW(1e-3, 1e-4, 1, 10)));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    ModelSerializer.writeModel(graph, zip, true);
    entries = unzip(zip.toByteArray());
    fs = FileSystem.getLocal(new Configuration());
  }

  @Test
  void aSavedModelReadsBackWithItsChecksum() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ok"));
    ModelFiles.write(graph, fs, new org.apache.hadoop.fs.Path(dir.toUri()));
    String line = Files.readString(dir.resolve(ModelFiles.CHECKSUM_FILE));
    assertTrue(line.matches("[0-9a-f]{64}  model\\.zip\\n"), line);
    ComputationGraph back = ModelFiles.read(fs, new org.apache.hadoop.fs.Path(dir.toUri()));
    assertArrayEquals(graph.params().toFloatVector(), back.params().toFloatVector(), 0f);
    assertArrayEquals(graph.getUpdater().getStateViewArray().toFloatVector(), back.getUpdater().getStateViewArray().toFloatVector(), 0f);
  }

  @Test
  void aWrongChecksumIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("tampered"));
    ModelFiles.write(graph, fs, new org.apache.hadoop.fs.Path(dir.toUri()));
    try (var out = fs.create(new org.apache.hadoop.fs.Path(dir.resolve(ModelFiles.CHECKSUM_FILE).toUri()), true)) {
      out.write(("0".repeat(64) + "  model.zip\n").getBytes(StandardCharsets.US_ASCII));
    }
    RunException e = assertThrows(RunException.class, () -> ModelFiles.read(fs, new org.apache.hadoop.fs.Path(dir.toUri())));
    assertTrue(e.getMessage().startsWith("refused to load") && e.getMessage().contains("changed or was damaged"), e.getMessage());
  }

  @Test
  void aForeignSerialisedObjectIsRefused() throws IOException {
    Map<String, byte[]> crafted = new LinkedHashMap<>(entries);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      HashMap<String, Object> gadget = new HashMap<>();
      gadget.put("x", new java.net.URI("http://127.0.0.1/"));
      out.writeObject(gadget);
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
    crafted.put(ModelSerializer.PREPROCESSOR_BIN, bytes.toByteArray());
    String m = refused(zip(crafted));
    assertTrue(m.contains("preprocessor.bin holds a serialised java.util.HashMap") && m.contains("allow-list"), m);
  }

  @Test
  void aZipBombIsRefusedEarly() throws IOException {
    Map<String, byte[]> crafted = new LinkedHashMap<>(entries);
    crafted.put(ModelSerializer.COEFFICIENTS_BIN, new byte[200 << 20]); // 200 MB of zeros deflate to about 200 KB
    byte[] bomb = zip(crafted);
    assertTrue(bomb.length < 2 << 20, "the bomb is " + bomb.length + " bytes");
    String m = refused(bomb);
    assertTrue(m.contains("inflates more than 100 times") && m.contains("zip bomb"), m);

    String limit = assertThrows(ModelFiles.RefusedModelException.class,
        () -> ModelFiles.read(new ByteArrayInputStream(zip(entries)), null, new ModelFiles.Limits(1000, 1 << 20, 1 << 30, 100)))
        .getMessage();
    assertTrue(limit.contains("inflates to more than 1000 bytes"), limit);
  }

  @Test
  void classesOutsideTheAllowListAreNeverLoaded() throws IOException {
    Map<String, byte[]> crafted = new LinkedHashMap<>(entries);
    String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8)
        .replaceFirst("\"@class\" : \"org\\.nd4j\\.linalg\\.activations\\.impl\\.ActivationReLU\"", "\"@class\" : \"javax.swing.JFrame\"");
    crafted.put(ModelSerializer.CONFIGURATION_JSON, json.getBytes(StandardCharsets.UTF_8));
    String m = refused(zip(crafted));
    assertTrue(m.contains("names class javax.swing.JFrame"), m);

    // a weight distribution names its class in "type"
    ModelFiles.checkClasses("{\"distribution\": {\"type\": \"org.deeplearning4j.nn.conf.distribution.NormalDistribution\"}, \"type\": \"MAX\"}");
    ModelFiles.RefusedModelException e = assertThrows(ModelFiles.RefusedModelException.class,
        () -> ModelFiles.checkClasses("{\"distribution\": {\"type\": \"com.sun.rowset.JdbcRowSetImpl\"}}"));
    assertTrue(e.getMessage().contains("com.sun.rowset.JdbcRowSetImpl"), e.getMessage());
  }

  @Test
  void anArrayDeclaringMoreValuesThanItHoldsIsRefusedBeforeAllocation() throws IOException {
    Map<String, byte[]> crafted = new LinkedHashMap<>(entries);
    byte[] params = entries.get(ModelSerializer.COEFFICIENTS_BIN).clone();
    // the data header's length: after the shape header ("MIXED_DATA_TYPES", long, "LONG"), its longs, and the data mode
    int dataLength = indexOf(params, "MIXED_DATA_TYPES".getBytes(StandardCharsets.US_ASCII), 20) + "MIXED_DATA_TYPES".length();
    ByteBuffer.wrap(params, dataLength, 8).putLong(1L << 40);
    crafted.put(ModelSerializer.COEFFICIENTS_BIN, params);
    String m = refused(zip(crafted));
    assertTrue(m.contains("coefficients.bin declares 1099511627776 values"), m);
  }

  @Test
  void unexpectedEntriesAreRefused() throws IOException {
    Map<String, byte[]> crafted = new LinkedHashMap<>(entries);
    crafted.put("../../etc/cron.d/x", new byte[] {1});
    assertTrue(refused(zip(crafted)).contains("unexpected entry '../../etc/cron.d/x'"));
  }

  private static String refused(byte[] zip) {
    return assertThrows(ModelFiles.RefusedModelException.class,
        () -> ModelFiles.read(new ByteArrayInputStream(zip), null, ModelFiles.Limits.DEFAULT)).getMessage();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void theZipHelpersRoundTrip() throws IOException {
    assertEquals(entries.keySet(), unzip(zip(entries)).keySet());
  }
}
