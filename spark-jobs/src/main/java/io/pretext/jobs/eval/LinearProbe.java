package io.pretext.jobs.eval;

import io.pretext.model.config.OptionCheck;
import io.pretext.data.dataset.ImageRecords;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The linear evaluation protocol (Zhang et al. 2016; Chen et al. 2020, SimCLR Sec. B.5, on frozen
 * features): standardise each feature with the train set's mean and standard deviation
 * (Spark MLlib {@link StandardScaler}, withMean and withStd), then fit a multinomial
 * {@link LogisticRegression} (L-BFGS, L2 penalty {@code reg}, {@code maxIter} iterations) on the
 * train features and report top-1 accuracy on the test features. Everything runs distributed in
 * MLlib; only the fitted model (D x C weights) lives in the driver.
 *
 * @param maxIter L-BFGS iterations, &gt;= 1
 * @param reg L2 regularisation strength (Spark's regParam, elasticNet 0), &gt;= 0
 */
public record LinearProbe(int maxIter, double reg) {
  static final String FEATURES = "features";
  static final String SCALED = "scaled";
  static final String TARGET = "target";

  public LinearProbe {
    OptionCheck.require(maxIter >= 1, "--max-iter", maxIter, "an integer >= 1");
    OptionCheck.require(reg >= 0 && Double.isFinite(reg), "--reg", reg, "a finite number >= 0");
  }

  /**
   * Fits on {@code train}, scores {@code test}; both have {@link Features#SCHEMA} and non-null labels.
   *
   * @return fraction of test rows predicted correctly
   */
  public double accuracy(Dataset<Row> train, Dataset<Row> test) {
    StandardScaler scaler = new StandardScaler().setInputCol(FEATURES).setOutputCol(SCALED).setWithMean(true).setWithStd(true);
    return score(new Pipeline().setStages(new PipelineStage[] {scaler, regression(SCALED)}).fit(vectors(train)).transform(vectors(test)));
  }

  /**
   * The same logistic regression on sparse vectors, without standardisation: centring would make every vector dense
   * (94,111 documents x 8,000 TF-IDF terms are 6 GB as doubles), and dividing by the standard deviation would give the
   * rarest terms the largest values; TF-IDF vectors are already on one scale ({@link TfIdfFeatures}: unit L2 norm).
   *
   * @param train rows of {@link #TARGET} (double label) and {@link #FEATURES} (an MLlib vector)
   * @param test the same
   * @return fraction of test rows predicted correctly
   */
  public double accuracyOnSparse(Dataset<Row> train, Dataset<Row> test) {
    return score(regression(FEATURES).fit(train).transform(test));
  }

  private LogisticRegression regression(String featuresCol) {
    return new LogisticRegression().setFamily("multinomial").setFeaturesCol(featuresCol).setLabelCol(TARGET)
        .setMaxIter(maxIter).setRegParam(reg).setElasticNetParam(0.0).setStandardization(false);
  }

  /** Fraction of rows whose {@code prediction} equals their {@link #TARGET}. */
  private static double score(Dataset<Row> scored) {
    Row r = scored.agg(
        functions.sum(functions.when(functions.col("prediction").equalTo(functions.col(TARGET)), 1).otherwise(0)),
        functions.count(functions.lit(1))).first();
    return r.getLong(0) / (double) r.getLong(1);
  }

  /** {@code target} (double label) and {@code features} (an MLlib dense vector). */
  static Dataset<Row> vectors(Dataset<Row> features) {
    return features.select(
        functions.col(ImageRecords.LABEL).cast("double").as(TARGET),
        org.apache.spark.ml.functions.array_to_vector(functions.col(Features.REPRESENTATION).cast("array<double>")).as(FEATURES));
  }
}
