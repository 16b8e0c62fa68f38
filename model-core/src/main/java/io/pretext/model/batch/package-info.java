/**
 * The plain-array minibatches the data pipeline hands to methods, one type per modality: a method turns them into
 * the tensors (DL4J {@code MultiDataSet}) its graph trains on.
 */
package io.pretext.model.batch;
