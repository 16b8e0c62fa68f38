package io.pretext.jobs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.Checksums;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads a checkpoint's {@code model.zip} (DL4J's {@link ModelSerializer} format: {@code configuration.json},
 * {@code coefficients.bin}, {@code updaterState.bin}) without trusting the file.
 *
 * <p>Why not {@code ModelSerializer.restoreComputationGraph}: it inflates every zip entry fully into memory (a zip
 * bomb of a few kilobytes exhausts the heap), deserialises a {@code preprocessor.bin} entry with a plain
 * {@link ObjectInputStream} (any serialisable class on the class path is instantiated: the classic gadget-chain
 * attack), lets ND4J allocate whatever array length a {@code .bin} header declares, and hands the configuration
 * JSON to DL4J's Jackson mapper, whose polymorphic {@code "@class"} properties make Jackson load, and run the static
 * initialiser of, any class named there before it checks the class's type. Here, in order:
 * <ol>
 *   <li>the zip is read as a stream; only the entry names DL4J writes are accepted, each once; each entry and the
 *       total are bounded ({@link Limits}), and inflation is refused past {@link Limits#maxRatio} times the compressed
 *       bytes read so far, so a bomb stops after a few megabytes, not at the limit;
 *   <li>the SHA-256 of the file's bytes is computed while reading and compared with {@code model.zip.sha256}, written
 *       beside it at save time;
 *   <li>every class the configuration JSON names ({@code "@class"}, and {@code "type"} for weight distributions)
 *       must be in an allow-list of packages (DL4J's layers,
 *       vertices, weight inits, ND4J's activations, losses, updaters, schedules and regularisation, and Pretext's
 *       model classes), checked on a plain JSON tree before DL4J's mapper sees it;
 *   <li>each array's header must declare no more elements than its entry holds, before ND4J allocates;
 *   <li>a {@code preprocessor.bin} (Pretext never writes one, and DL4J's own loader discards it after reading) is
 *       read through an {@link ObjectInputFilter} ({@link #filter}) that rejects every class but a short allow-list, and discarded.
 * </ol>
 *
 * <p>Checkpoints written before the checksum existed (Pretext 0.1.0) have no {@code model.zip.sha256}: they load
 * with every check above except the checksum, and a warning says so. The checksum detects a file changed or damaged
 * after it was written; it is not a signature (whoever can replace {@code model.zip} can replace the checksum), which
 * is why the content checks apply to every file.
 */
public final class ModelFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);
  public static final String MODEL_FILE = "model.zip";
  public static final String CHECKSUM_FILE = "model.zip.sha256";
  private static final List<String> ENTRIES = List.of(ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN,
      ModelSerializer.UPDATER_BIN, ModelSerializer.NO_PARAMS_MARKER, ModelSerializer.PREPROCESSOR_BIN);
  /** Packages whose classes a configuration may name in {@code "@class"}. */
  static final List<String> ALLOWED_CLASS_PREFIXES = List.of("org.deeplearning4j.nn.conf.", "org.deeplearning4j.nn.weights.",
      "org.nd4j.linalg.activations.impl.", "org.nd4j.linalg.lossfunctions.impl.", "org.nd4j.linalg.learning.config.",
      "org.nd4j.linalg.learning.regularization.", "org.nd4j.linalg.schedule.", "io.pretext.model.");
  private static final java.util.regex.Pattern CLASS_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+");
  /** Classes a {@code preprocessor.bin} may hold: ND4J's data-set preprocessors and the JDK types their fields use. */
  static final List<String> ALLOWED_SERIAL_PREFIXES = List.of("org.nd4j.linalg.dataset.api.preprocessor.", "java.lang.Number",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Boolean", "java.lang.String",
      "java.lang.Enum");

  /**
   * Bounds on what reading one model may hold in memory.
   *
   * @param maxEntryBytes inflated size of one {@code .bin} entry (parameters or updater state); default 1 GiB, four
   *     times ResNet-50's Adam state
   * @param maxJsonBytes inflated size of {@code configuration.json}; default 16 MiB
   * @param maxTotalBytes inflated size of all entries together; default 2 GiB
   * @param maxRatio largest inflated-to-compressed ratio accepted at any point of the stream; default 100 (float
   *     parameters compress about 1.1 times, the JSON about 10 times)
   */
  public record Limits(long maxEntryBytes, long maxJsonBytes, long maxTotalBytes, int maxRatio) {
    public static final Limits DEFAULT = new Limits(1L << 30, 16L << 20, 2L << 30, 100);
  }

  private ModelFiles() {}

  /** Writes {@code dir/model.zip} and {@code dir/model.zip.sha256} (the SHA-256 of the bytes written, sha256sum's format). */
  public static void write(ComputationGraph network, FileSystem fs, Path dir) throws IOException {
    MessageDigest md = Checksums.sha256();
    try (OutputStream out = new DigestOutputStream(fs.create(new Path(dir, MODEL_FILE), true), md)) {
      ModelSerializer.writeModel(network, out, true);
    }
    String line = HexFormat.of().formatHex(md.digest()) + "  " + MODEL_FILE + "\n";
    try (OutputStream out = fs.create(new Path(dir, CHECKSUM_FILE), true)) {
      out.write(line.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Reads {@code dir/model.zip} with its optimiser state, checking it against {@code dir/model.zip.sha256} if present. */
  public static ComputationGraph read(FileSystem fs, Path dir) {
    Path model = new Path(dir, MODEL_FILE);
    Path checksum = new Path(dir, CHECKSUM_FILE);
    try {
      String expected = null;
      if (fs.exists(checksum)) {
        try (InputStream in = fs.open(checksum)) {
          expected = new String(in.readNBytes(200), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        }
      } else {
        LOG.warn("{} has no {} (written before checksums existed): loading it with the content checks only", model, CHECKSUM_FILE);
      }
      try (InputStream in = fs.open(model)) {
        return read(in, expected, Limits.DEFAULT);
      }
    } catch (IOException e) {
      throw new RunException("cannot read " + model + ": " + e.getMessage(), e);
    } catch (RefusedModelException e) {
      throw new RunException("refused to load " + model + ": " + e.getMessage(), e);
    }
  }

  /** A model file that failed one of the checks; the message says which and why. */
  static final class RefusedModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedModelException(String message) {
      super(message);
    }

    RefusedModelException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads a model.zip stream under {@code limits}; {@code expectedSha256} null skips the checksum.
   *
   * @throws RefusedModelException if a check fails
   */
  static ComputationGraph read(InputStream raw, String expectedSha256, Limits limits) throws IOException {
    MessageDigest md = Checksums.sha256();
    CountingStream compressed = new CountingStream(new DigestInputStream(raw, md));
    Map<String, byte[]> entries = new TreeMap<>();
    long total = 0;
    try (ZipInputStream zip = new ZipInputStream(compressed)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        if (!ENTRIES.contains(name)) {
          throw new RefusedModelException("unexpected entry '" + name + "' (a DL4J model holds only " + ENTRIES + ")");
        }
        if (entries.containsKey(name)) {
          throw new RefusedModelException("entry '" + name + "' appears twice");
        }
        long max = name.endsWith(".json") ? limits.maxJsonBytes() : limits.maxEntryBytes();
        byte[] bytes = readEntry(zip, name, Math.min(max, limits.maxTotalBytes() - total), compressed, total, limits.maxRatio());
        total += bytes.length;
        entries.put(name, bytes);
      }
      compressed.transferTo(OutputStream.nullOutputStream()); // the central directory: the checksum covers every byte
    } catch (java.util.zip.ZipException e) {
      throw new RefusedModelException("not a valid zip file (" + e.getMessage() + ")", e);
    }
    String actual = HexFormat.of().formatHex(md.digest());
    if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
      throw new RefusedModelException("its SHA-256 is " + actual + " but " + CHECKSUM_FILE + " records " + expectedSha256
          + ": the file changed or was damaged after it was written");
    }
    return build(entries);
  }

  private static byte[] readEntry(ZipInputStream zip, String name, long max, CountingStream compressed, long before, int maxRatio)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = zip.read(buf)) > 0) {
      if (out.size() + (long) n > max) {
        throw new RefusedModelException("entry '" + name + "' inflates to more than " + max + " bytes (limit per entry and in total)");
      }
      long inflated = before + out.size() + n;
      if (inflated > (1L << 20) && inflated > (long) maxRatio * compressed.count) {
        throw new RefusedModelException("entry '" + name + "' inflates more than " + maxRatio + " times its compressed size"
            + " (a zip bomb, not a model)");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ComputationGraph build(Map<String, byte[]> entries) throws IOException {
    byte[] json = entries.get(ModelSerializer.CONFIGURATION_JSON);
    byte[] params = entries.get(ModelSerializer.COEFFICIENTS_BIN);
    if (json == null || params == null) {
      throw new RefusedModelException("it lacks " + (json == null ? ModelSerializer.CONFIGURATION_JSON : ModelSerializer.COEFFICIENTS_BIN));
    }
    byte[] preprocessor = entries.get(ModelSerializer.PREPROCESSOR_BIN);
    if (preprocessor != null) {
      checkSerialised(preprocessor);
    }
    String text = new String(json, StandardCharsets.UTF_8);
    checkClasses(text);
    ComputationGraphConfiguration conf;
    try {
      conf = ComputationGraphConfiguration.fromJson(text);
    } catch (RuntimeException e) {
      throw new RefusedModelException("configuration.json is not a computation graph configuration (" + e.getMessage() + ")", e);
    }
    INDArray coefficients = readArray(ModelSerializer.COEFFICIENTS_BIN, params);
    conf.setDataType(coefficients.dataType());
    ComputationGraph graph = new ComputationGraph(conf);
    try {
      graph.init(coefficients, false);
    } catch (RuntimeException e) {
      throw new RefusedModelException("the parameters do not fit the configuration (" + e.getMessage() + ")", e);
    }
    byte[] updater = entries.get(ModelSerializer.UPDATER_BIN);
    if (updater != null) {
      INDArray state = readArray(ModelSerializer.UPDATER_BIN, updater);
      long expected = graph.getUpdater().getStateViewArray() == null ? 0 : graph.getUpdater().getStateViewArray().length();
      if (state.length() != expected) {
        throw new RefusedModelException(ModelSerializer.UPDATER_BIN + " holds " + state.length() + " values, the configuration's"
            + " optimiser needs " + expected);
      }
      graph.getUpdater().setStateViewArray(state);
    }
    return graph;
  }

  /**
   * Every {@code "@class"} value anywhere in the JSON must name a class in {@link #ALLOWED_CLASS_PREFIXES}. Checked on
   * a plain tree (no type handling), so no class named in the file is loaded before it passes.
   */
  static void checkClasses(String json) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new RefusedModelException("configuration.json is not JSON (" + e.getMessage() + ")", e);
    }
    checkClasses(root);
  }

  private static void checkClasses(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        // "@class" names the class of most polymorphic DL4J/ND4J types; "type" that of a weight distribution
        // (org.deeplearning4j.nn.conf.distribution.Distribution); other "type" fields hold no class names.
        if (f.getKey().equals("@class") || f.getKey().equals("type") && CLASS_NAME.matcher(f.getValue().asText()).matches()) {
          String name = f.getValue().asText();
          if (ALLOWED_CLASS_PREFIXES.stream().noneMatch(name::startsWith)) {
            throw new RefusedModelException("configuration.json names class " + name + ", which is not in the allow-list of "
                + "model classes " + ALLOWED_CLASS_PREFIXES);
          }
        }
        checkClasses(f.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(ModelFiles::checkClasses);
    }
  }

  /**
   * ND4J's binary array format: a header (allocation mode, length, data type) and the shape buffer, then a header and
   * the data. Both declared lengths are checked against the bytes the entry holds before {@link Nd4j#read} allocates.
   */
  static INDArray readArray(String name, byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      long[] shape = header(name, in, bytes.length);
      if (shape[0] > 2L * 32 + 4) {
        throw new RefusedModelException(name + " declares a shape buffer of " + shape[0] + " values (rank above 32)");
      }
      in.skipNBytes(shape[0] * shape[1]);
      long[] data = header(name, in, bytes.length);
      if (data[0] * data[1] > in.available()) {
        throw new RefusedModelException(name + " declares " + data[0] + " values of " + data[1] + " bytes but holds "
            + in.available() + " bytes");
      }
    } catch (java.io.EOFException e) {
      throw new RefusedModelException(name + " ends inside its header", e);
    }
    try {
      return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (RuntimeException e) {
      throw new RefusedModelException(name + " is not an ND4J array (" + e.getMessage() + ")", e);
    }
  }

  /** {length, bytes per element} of the next buffer header, as BaseDataBuffer.readHeader reads it. */
  private static long[] header(String name, DataInputStream in, int total) throws IOException {
    DataBuffer.AllocationMode mode;
    DataType type;
    long length;
    try {
      mode = DataBuffer.AllocationMode.valueOf(in.readUTF());
      length = mode.ordinal() < 3 ? in.readInt() : in.readLong();
      type = DataType.valueOf(in.readUTF());
    } catch (IllegalArgumentException e) {
      throw new RefusedModelException(name + " has an unknown buffer header (" + e.getMessage() + ")", e);
    }
    if (length < 0 || type == DataType.COMPRESSED || type.width() <= 0) {
      throw new RefusedModelException(name + " declares " + length + " values of type " + type);
    }
    if (length > total) {
      throw new RefusedModelException(name + " declares " + length + " values in " + total + " bytes");
    }
    return new long[] {length, type.width()};
  }

  /** Deserialises {@code bytes} through {@link #filter} and discards the result: only its classes matter. */
  static void checkSerialised(byte[] bytes) throws IOException {
    java.util.concurrent.atomic.AtomicReference<String> rejected = new java.util.concurrent.atomic.AtomicReference<>();
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter(rejected));
      in.readObject();
    } catch (InvalidClassException e) {
      throw new RefusedModelException(ModelSerializer.PREPROCESSOR_BIN + " holds a serialised " + rejected.get() + ", which is not"
          + " in the allow-list " + ALLOWED_SERIAL_PREFIXES + " (Pretext models have no preprocessor)", e);
    } catch (ClassNotFoundException e) {
      throw new RefusedModelException(ModelSerializer.PREPROCESSOR_BIN + " names an unknown class " + e.getMessage(), e);
    }
  }

  /**
   * Allows the classes in {@link #ALLOWED_SERIAL_PREFIXES} and arrays of primitives, within small graph bounds; the
   * first thing rejected is recorded in {@code rejected}.
   */
  static ObjectInputFilter filter(java.util.concurrent.atomic.AtomicReference<String> rejected) {
    return info -> {
      if (info.depth() > 20 || info.references() > 10_000 || info.streamBytes() > (16L << 20) || info.arrayLength() > (1L << 24)) {
        rejected.compareAndSet(null, "object graph beyond the bounds (depth 20, 10,000 references, 16 MiB)");
        return ObjectInputFilter.Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive()) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      String name = c.getName();
      if (ALLOWED_SERIAL_PREFIXES.stream().anyMatch(name::startsWith)) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      rejected.compareAndSet(null, name);
      return ObjectInputFilter.Status.REJECTED;
    };
  }

  /** Counts the compressed bytes the zip reader has taken. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
