package io.pretext.data.text.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the golden files {@code bench/reference/bert_golden.py} made with HuggingFace tokenizers 0.22.2. */
final class Golden {
  private Golden() {}

  static List<String> lines(String name) {
    try (InputStream raw = Golden.class.getResourceAsStream(name)) {
      if (raw == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Vocabulary vocab(String name) {
    return Vocabulary.parse(bytes(name), name);
  }
}
