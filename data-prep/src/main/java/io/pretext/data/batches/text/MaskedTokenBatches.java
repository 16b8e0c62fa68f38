package io.pretext.data.batches.text;

import io.pretext.data.batches.EpochRounds;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.text.masking.DynamicMasking;
import io.pretext.data.text.masking.TokenBatchBuilder;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.method.MaskedTokenMethod;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Masked-token minibatches for every {@link MaskedTokenMethod}: each round's records come from {@link EpochRounds}
 * (one shuffle per epoch), are masked in the executors by {@link DynamicMasking} (a pure function of seed, epoch,
 * record and position: new masks every epoch, as RoBERTa), padded to the longest sequence of their minibatch
 * ({@link TokenBatchBuilder}) and handed to {@link MaskedTokenMethod#trainingBatch}. A method that trains on the
 * dataset's labels ({@link MaskedTokenMethod#labelsFromDataset()}, text fine-tuning) gets the sequences unmasked, each
 * with its document's label.
 *
 * <p>Throughput counts real tokens (padding excluded): an accumulator adds each minibatch's tokens as it is made, and
 * the driver reads it after materialising the round ({@link #units}).
 */
public final class MaskedTokenBatches implements TrainingBatches {
  private final JavaRDD<Row> rows;
  private final long count;
  private final DynamicMasking masking;
  private final MaskedTokenMethod method;
  private final RoundLayout layout;
  private final EpochRounds<Row> rounds;
  private final LongAccumulator tokens;

  /**
   * @param rows records with {@link TextRecords#SCHEMA}, persisted by the caller; released by {@link #close()}
   * @param count number of rows (from the manifest)
   * @param tokens accumulator of real tokens, registered with the Spark context
   */
  public MaskedTokenBatches(JavaRDD<Row> rows, long count, DynamicMasking masking, MaskedTokenMethod method, RoundLayout layout,
      long seed, LongAccumulator tokens) {
    this.rows = rows;
    this.count = count;
    this.masking = masking;
    this.method = method;
    this.layout = layout;
    // A long document's windows share its id: the window makes each record's key unique and its order deterministic.
    this.rounds = new EpochRounds<>(rows.mapToPair(r -> new Tuple2<>(TextRecords.id(r) + "#" + TextRecords.window(r), r)), count,
        layout, seed);
    this.tokens = tokens;
  }

  @Override
  public long records() {
    return count;
  }

  @Override
  public RoundLayout layout() {
    return layout;
  }

  @Override
  public String unit() {
    return "tokens";
  }

  @Override
  public void startEpoch(int epoch) {
    rounds.prepare(epoch);
  }

  @Override
  public JavaRDD<MultiDataSet> round(int epoch, int round) {
    tokens.reset();
    DynamicMasking m = masking;
    MaskedTokenMethod method = this.method;
    LongAccumulator counter = tokens;
    int n = layout.recordsPerBatch();
    return rounds.round(epoch, round).mapPartitions(it -> batches(it, m, method, epoch, n, counter));
  }

  /** Real tokens of the round last made by {@link #round}, once the driver has materialised it. */
  @Override
  public long units(int epoch, int round) {
    return tokens.value();
  }

  static Iterator<MultiDataSet> batches(Iterator<Row> it, DynamicMasking masking, MaskedTokenMethod method, int epoch, int n,
      LongAccumulator counter) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public MultiDataSet next() {
        TokenBatchBuilder builder = new TokenBatchBuilder();
        boolean labelled = method.labelsFromDataset();
        int[] labels = labelled ? new int[n] : null;
        while (builder.size() < n && it.hasNext()) {
          Row r = it.next();
          if (labelled) {
            Integer label = TextRecords.label(r);
            if (label == null) {
              throw new IllegalArgumentException(method.name() + " trains on the dataset's labels, but document " + TextRecords.id(r)
                  + " has none; prepare the dataset with labels (prepare-text --label-field or --label-column)");
            }
            labels[builder.size()] = label;
          }
          builder.add(TextRecords.tokens(r), TextRecords.recordKey(r));
        }
        // a method training on the documents' labels sees them unmasked
        TokenBatch batch = labelled ? builder.unmasked().withLabels(java.util.Arrays.copyOf(labels, builder.size()))
            : builder.masked(masking, epoch);
        counter.add(batch.realTokens());
        return method.trainingBatch(batch);
      }
    };
  }

  @Override
  public void close() {
    rounds.close();
    rows.unpersist(false);
  }
}
