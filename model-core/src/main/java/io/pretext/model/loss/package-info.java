/**
 * Self-supervised loss functions, one per file, as pure DL4J {@code ILossFunction}s: immutable, no state between
 * calls, JSON-serialisable so they travel inside network configurations (checkpoints, Spark workers).
 */
package io.pretext.model.loss;
