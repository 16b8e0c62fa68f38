package io.pretext.jobs.fillmask;

import io.pretext.data.text.TextNormalizer;
import io.pretext.data.text.UnicodeForm;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.IntList;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.method.MaskPrediction;
import io.pretext.model.method.MaskedTokenPredictor;
import io.pretext.model.method.Methods;
import io.pretext.model.method.SslMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Fill-mask with a masked-LM run (Devlin et al. 2019, the masked-LM task used for inference): the model's most probable
 * tokens, with their probabilities, at every {@code [MASK]} of a text.
 *
 * <p>The checkpoint is loaded through {@link Checkpoint#loadModel} ({@code ModelFiles}' checks for untrusted files),
 * with the vocabulary it carries ({@code vocab.txt}) and the case setting and Unicode form {@code run.json} records. A
 * text is tokenised as the training corpus was, except that each literal {@value #MASK} becomes the mask id: the BERT
 * tokenizer reads "[MASK]" in input as ordinary text (so a corpus cannot inject special tokens), so the text is split on
 * the literal and each piece is normalised (the dataset's NFC or NFKC, control characters removed) and tokenised on its
 * own; then {@code [CLS]} and
 * {@code [SEP]} are added. All texts are scored in one batch on this process, in inference mode.
 */
public final class FillMask {
  /** The literal that marks a position to predict. */
  public static final String MASK = "[MASK]";
  private static final Pattern MASK_LITERAL = Pattern.compile(Pattern.quote(MASK));

  private final Checkpoint checkpoint;
  private final MaskedTokenPredictor method;
  private final ComputationGraph graph;
  private final BertTokenizer tokenizer;
  private final UnicodeForm form;
  private final int maxLength;

  private FillMask(Checkpoint checkpoint, MaskedTokenPredictor method, ComputationGraph graph, BertTokenizer tokenizer, UnicodeForm form,
                   int maxLength) {
    this.checkpoint = checkpoint;
    this.method = method;
    this.graph = graph;
    this.tokenizer = tokenizer;
    this.form = form;
    this.maxLength = maxLength;
  }

  /** The registered methods that predict masked tokens, e.g. {@code mlm}. */
  static String predictors() {
    return Methods.namesWhere(m -> m instanceof MaskedTokenPredictor);
  }

  /**
   * Loads a masked-LM run's newest complete checkpoint (or the checkpoint directory given).
   *
   * @throws RunException if it is not a masked-LM text run, or its vocabulary or run.json does not fit the network
   */
  public static FillMask load(String model, Configuration conf) {
    Checkpoint checkpoint = RunDirectory.resolve(model, conf);
    RunInfo info = checkpoint.info();
    SslMethod method = MethodRebuild.method(info);
    ModelInput input = info.input().toModelInput();
    if (!(method instanceof MaskedTokenPredictor mlm) || !(input instanceof TokenInput tokens)) {
      throw new RunException("--model " + checkpoint.dir() + " is a " + info.method() + " run on " + info.input()
          + " input; fill-mask needs a run of a method that predicts masked tokens (pretrain --method " + predictors() + ")");
    }
    Boolean lowercase = info.input().lowercase();
    if (lowercase == null) {
      throw new RunException("--model " + checkpoint.dir() + ": its run.json does not record whether the tokenizer lower-cases,"
          + " so the text cannot be tokenised as the model was trained");
    }
    Vocabulary vocab = checkpoint.vocabulary(conf);
    if (vocab.size() != tokens.vocabSize()) {
      throw new RunException("--model " + checkpoint.dir() + ": " + Checkpoint.VOCAB_FILE + " has " + vocab.size()
          + " tokens but the network was trained on " + tokens.vocabSize() + "; the checkpoint is damaged");
    }
    UnicodeForm form = info.input().unicodeForm();
    ComputationGraph graph = checkpoint.loadModel(conf);
    return new FillMask(checkpoint, mlm, graph, new BertTokenizer(vocab, lowercase), form, tokens.maxLength());
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Longest sequence the model reads, {@code [CLS]} and {@code [SEP]} included. */
  public int maxLength() {
    return maxLength;
  }

  /**
   * The ids of {@code text}: {@code [CLS]}, the pieces with {@code [MASK]} at each literal {@value #MASK}, {@code [SEP]}.
   *
   * @throws IllegalArgumentException if it has no {@value #MASK} or more tokens than the model reads
   */
  public int[] encode(String text) {
    String[] parts = MASK_LITERAL.split(text, -1);
    if (parts.length < 2) {
      throw new IllegalArgumentException("invalid value for TEXT: '" + text + "' (allowed: a text with at least one " + MASK + ")");
    }
    IntList ids = new IntList(text.length() / 3 + 4);
    ids.add(TokenBatch.CLS_ID);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        ids.add(TokenBatch.MASK_ID);
      }
      tokenizer.encode(TextNormalizer.normalize(parts[i], form), ids);
    }
    ids.add(TokenBatch.SEP_ID);
    if (ids.size() > maxLength) {
      throw new IllegalArgumentException("invalid value for TEXT: '" + text + "' is " + ids.size() + " tokens with [CLS] and [SEP],"
          + " longer than the " + maxLength + " the model reads (the --seq-len of its training data); shorten it");
    }
    return ids.toArray();
  }

  /**
   * The {@code topK} most probable tokens at every {@code [MASK]} of each text, most probable first.
   *
   * @param encoded texts from {@link #encode}
   */
  public List<TextResult> predict(List<String> texts, List<int[]> encoded, int topK) {
    int n = encoded.size();
    int t = encoded.stream().mapToInt(e -> e.length).max().orElseThrow();
    int[] tokens = new int[n * t];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(encoded.get(i), 0, tokens, i * t, encoded.get(i).length);
      lengths[i] = encoded.get(i).length;
    }
    List<List<MaskResult>> masks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      masks.add(new ArrayList<>());
    }
    Vocabulary vocab = tokenizer.vocabulary();
    for (MaskPrediction p : method.fillMask(graph, TokenBatch.unmasked(n, t, tokens, lengths), topK)) {
      List<Candidate> candidates = new ArrayList<>();
      for (int k = 0; k < p.ids().length; k++) {
        candidates.add(new Candidate(vocab.token(p.ids()[k]), p.ids()[k], p.probabilities()[k]));
      }
      masks.get(p.sequence()).add(new MaskResult(p.position(), candidates));
    }
    List<TextResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new TextResult(texts.get(i), encoded.get(i).length, masks.get(i)));
    }
    return out;
  }

  /**
   * One text's predictions.
   *
   * @param text the text as given
   * @param tokens its length in tokens, {@code [CLS]} and {@code [SEP]} included
   * @param masks one entry per {@code [MASK]}, in order
   */
  public record TextResult(String text, int tokens, List<MaskResult> masks) {}

  /**
   * The predictions at one {@code [MASK]}.
   *
   * @param position its token position ({@code [CLS]} is 0)
   * @param predictions the most probable tokens, most probable first
   */
  public record MaskResult(int position, List<Candidate> predictions) {}

  /**
   * A predicted token.
   *
   * @param token the vocabulary entry (a continuation piece keeps its {@code ##})
   * @param id its id
   * @param probability its probability under the model's softmax at that position
   */
  public record Candidate(String token, int id, double probability) {}
}
