package io.pretext.jobs.pretrain;

import io.pretext.data.testing.SharedSpark;
import io.pretext.data.text.DocSplit;
import io.pretext.data.text.PrepareTextConfig;
import io.pretext.data.text.PrepareTextJob;
import io.pretext.data.text.TextFormat;
import io.pretext.data.text.UnicodeForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small prepared text datasets for training tests: a repetitive corpus in which the words of each sentence pattern
 * predict one another ("the cat sat on the mat", "the dog ran in the park", ...), made distinct by a trailing number so
 * that none is dropped as a duplicate. A masked-LM learns the patterns in a few dozen steps.
 */
public final class TinyText {
  /** The sentence patterns; a line is one of them followed by a number. */
  public static final List<String> PATTERNS = List.of("the cat sat on the mat", "the dog ran in the park",
      "the bird sang in the tree", "a fish swam in the sea");

  private TinyText() {}

  /** {@code n} distinct lines, the patterns in turn, numbered from {@code first}. */
  public static List<String> lines(int n, int first) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PATTERNS.get(i % PATTERNS.size()) + " " + (first + i));
    }
    return out;
  }

  /**
   * Prepares {@code lines} (one document each, lower-cased, windows of 16 tokens) as {@code dir/name}.
   *
   * @param vocab a vocab.txt to use, or null to train one of {@code vocabSize} tokens on the lines
   */
  public static Path prepare(Path dir, String name, List<String> lines, String vocab, int vocabSize) throws IOException {
    Files.createDirectories(dir);
    Path corpus = dir.resolve(name + ".txt");
    Files.write(corpus, lines);
    Path out = dir.resolve(name);
    PrepareTextJob.run(SharedSpark.get(), new PrepareTextConfig(corpus.toString(), out.toString(), TextFormat.AUTO, null, DocSplit.LINE,
        null, null, null, null, UnicodeForm.NFC, true, 1000, 16, false, vocab, vocab == null ? vocabSize : 0, 2, 1000, 2, 7, false));
    return out;
  }
}
