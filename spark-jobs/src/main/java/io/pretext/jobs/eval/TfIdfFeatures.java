package io.pretext.jobs.eval;

import io.pretext.data.dataset.TextRecords;
import io.pretext.model.batch.TokenBatch;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The TF-IDF bag-of-words baseline of text datasets (Salton and Buckley 1988): a document is the multiset of its WordPiece ids over all its windows, special tokens
 * ({@code [PAD] [CLS] [SEP] [MASK]}) dropped and {@code [UNK]} kept as a term. Spark MLlib's {@link CountVectorizer}
 * counts terms, {@link IDF} weighs them by {@code log((n + 1) / (df + 1))} with {@code n} documents and document
 * frequency {@code df}, both fitted on the train set only, and {@link Normalizer} scales each document to unit L2 norm.
 *
 * scikit-learn's smoothed IDF adds 1 to that logarithm, so a term in every document keeps a small weight there and none
 * here.
 *
 * <p>Output: {@link LinearProbe#TARGET} (the label as a double) and {@link LinearProbe#FEATURES} (a sparse vector of
 * width at most the vocabulary size), one row per document, for {@link LinearProbe#accuracyOnSparse}.
 */
public final class TfIdfFeatures {
  static final String TERMS = "terms";

  private TfIdfFeatures() {}

  /** Train and test TF-IDF vectors, the weighting fitted on {@code train}; lazy. */
  public static Dataset<Row>[] of(Dataset<Row> trainRecords, Dataset<Row> testRecords, int vocabSize) {
    Dataset<Row> train = terms(trainRecords);
    Dataset<Row> test = terms(testRecords);
    CountVectorizer counts = new CountVectorizer().setInputCol(TERMS).setOutputCol("tf").setVocabSize(vocabSize).setMinDF(1);
    IDF idf = new IDF().setInputCol("tf").setOutputCol("tfidf");
    Normalizer l2 = new Normalizer().setInputCol("tfidf").setOutputCol(LinearProbe.FEATURES).setP(2.0);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {counts, idf, l2}).fit(train);
    @SuppressWarnings("unchecked")
    Dataset<Row>[] out = new Dataset[] {select(model.transform(train)), select(model.transform(test))};
    return out;
  }

  /** One row per document: its label and its terms (token ids as strings, specials but [UNK] dropped). */
  static Dataset<Row> terms(Dataset<Row> records) {
    Column ids = functions.filter(functions.col(TextRecords.TOKENS),
        id -> id.geq(TokenBatch.SPECIAL_TOKENS).or(id.equalTo(TokenBatch.UNK_ID)));
    return records.select(functions.col(TextRecords.ID), functions.col(TextRecords.LABEL), ids.cast("array<string>").as(TERMS))
        .groupBy(TextRecords.ID)
        .agg(functions.first(TextRecords.LABEL).as(TextRecords.LABEL), functions.flatten(functions.collect_list(TERMS)).as(TERMS))
        .coalesce(records.sparkSession().sparkContext().defaultParallelism()); // one partition per core, as TextFeatures
  }

  private static Dataset<Row> select(Dataset<Row> transformed) {
    return transformed.select(functions.col(TextRecords.LABEL).cast("double").as(LinearProbe.TARGET), functions.col(LinearProbe.FEATURES));
  }
}
