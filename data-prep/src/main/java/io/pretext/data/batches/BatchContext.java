package io.pretext.data.batches;

import io.pretext.data.dataset.PreparedDataset;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.SslMethod;
import org.apache.spark.sql.SparkSession;

/**
 * What a batch factory needs to make a run's minibatches.
 *
 * @param spark the session
 * @param dataset the prepared dataset, of the method's kind
 * @param method the method, an instance of the factory's {@link BatchFactory#batchType()}
 * @param recipe the factory's recipe, from its {@link RecipeOptions}
 * @param layout workers, minibatch size and minibatches per worker of a round
 * @param seed the run's seed
 * @param state the method's driver-side state (broadcast it if the batches need it)
 */
public record BatchContext(SparkSession spark, PreparedDataset dataset, SslMethod method, BatchRecipe recipe, RoundLayout layout,
    long seed, MethodState state) {
}
