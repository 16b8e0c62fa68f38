package io.pretext.model;

import io.pretext.model.optim.OptimizerConfig;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Settings every method applies when it builds its DL4J graph.
 *
 * @param seed      seed for weight initialisation (DL4J {@code NeuralNetConfiguration.Builder.seed}); comes from the
 *                  run configuration, never from the clock
 * @param dataType  network data type: {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks;
 *                  only FLOAT, DOUBLE and HALF are accepted
 * @param optimizer optimiser and learning-rate schedule
 */
public record GraphSettings(long seed, DataType dataType, OptimizerConfig optimizer) {

    public GraphSettings {
        Objects.requireNonNull(dataType, "GraphSettings.dataType is null; use DataType.FLOAT (or DOUBLE for gradient checks)");
        Objects.requireNonNull(optimizer, "GraphSettings.optimizer is null; e.g. OptimizerConfig.adamW(1e-3, 1e-4, warmup, total)");
        if (!dataType.isFPType() || dataType == DataType.BFLOAT16) {
            throw new IllegalArgumentException("GraphSettings.dataType = " + dataType
                    + " is invalid: allowed FLOAT, DOUBLE, HALF; use FLOAT for training, DOUBLE for gradient checks");
        }
    }

    /** FLOAT network with the given seed and optimiser. */
    public static GraphSettings of(long seed, OptimizerConfig optimizer) {
        return new GraphSettings(seed, DataType.FLOAT, optimizer);
    }

    /** Copy with another data type. */
    public GraphSettings withDataType(DataType newDataType) {
        return new GraphSettings(seed, newDataType, optimizer);
    }
}
