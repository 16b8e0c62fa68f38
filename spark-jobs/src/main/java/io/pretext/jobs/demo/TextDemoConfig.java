package io.pretext.jobs.demo;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.text.PrepareTextConfig;

/**
 * The defaults of the text demo ({@code pretext demo --text}), in one place: the corpus, its preparation, the pretraining
 * settings it gives {@code pretrain --method mlm} where the command line does not, and the probe.
 *
 * @param wordnet WordNet's database directory (Debian's {@code wordnet-base}: {@value WordNetGlosses#DEFAULT_DIR})
 * @param work working directory: glosses, the two prepared datasets and the run
 * @param vocabSize WordPiece vocabulary trained on the training glosses (8,000, special tokens included)
 * @param lowercase uncased tokenisation, as {@code bert-base-uncased}
 * @param seqLen tokens per window, {@code [CLS]} and {@code [SEP]} included (64)
 * @param encoder the BERT size ({@code bert-tiny})
 * @param batchSizePerWorker windows per worker minibatch (64: 128 per averaging step on 2 workers, the reference's batch);
 *     the optimiser settings are the {@code mlm} method's preset ({@code MaskedLm.TRAINING_PRESET}: AdamW 1e-3, weight
 *     decay 0.01, the reference's)
 * @param epochs passes over the training glosses: the pretraining time budget. Pretrain has no wall-time option, so the
 *     budget is set in epochs: 2 take about 7 minutes on this 2-core machine, idle (one took 3.5; see the README),
 *     within the 10 minutes the HuggingFace reference trained
 * @param maxIter linear-probe iterations
 * @param heldOutMonitor pass the test set to pretrain as {@code --monitor} (held-out masked-token accuracy and perplexity
 *     per epoch); needs a pretrain whose monitor accepts text datasets
 */
public record TextDemoConfig(String wordnet, String work, int vocabSize, boolean lowercase, int seqLen, String encoder,
    int batchSizePerWorker, int epochs, int maxIter, boolean heldOutMonitor) {

  public static final String DEFAULT_WORK = "work/demo-text";

  public TextDemoConfig {
    require(wordnet != null && !wordnet.isBlank(), "--wordnet", wordnet, "WordNet's database directory (" + WordNetGlosses.DEFAULT_DIR + ")");
    require(work != null && !work.isBlank(), "--work", work, "a working directory");
    require(seqLen >= PrepareTextConfig.MIN_SEQ_LEN && seqLen <= PrepareTextConfig.MAX_SEQ_LEN, "seq-len", seqLen,
        "an integer " + PrepareTextConfig.MIN_SEQ_LEN + ".." + PrepareTextConfig.MAX_SEQ_LEN);
    require(maxIter >= 1, "--max-iter", maxIter, "an integer >= 1");
  }

  /** The demo's defaults, into {@code work}. */
  public static TextDemoConfig defaults(String work) {
    return new TextDemoConfig(WordNetGlosses.DEFAULT_DIR, work, 8000, true, 64, "bert-tiny", 64, 2, 100, true);
  }

  /** The same with another corpus directory, working directory, epochs, probe iterations. */
  public TextDemoConfig with(String wordnet, String work, int epochs, int maxIter) {
    return new TextDemoConfig(wordnet, work, vocabSize, lowercase, seqLen, encoder, batchSizePerWorker, epochs, maxIter,
        heldOutMonitor);
  }

  public String glosses() {
    return work + "/glosses";
  }

  public String train() {
    return work + "/train";
  }

  public String test() {
    return work + "/test";
  }

  public String run() {
    return work + "/run";
  }
}
