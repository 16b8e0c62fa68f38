/**
 * The self-supervised method plug-in point: {@link io.pretext.model.method.SslMethod} builds the training graph from an
 * encoder, turns a batch of augmented views into the {@code DataSet} the graph trains on, and extracts
 * representations for evaluation ({@link io.pretext.model.method.Representations}).
 *
 * <p>Implementations are grouped by family in sub-packages: {@code contrastive} (SimCLR; MoCo v2 later),
 * {@code distillation} (BYOL), {@code maskedlm} (BERT's masked language model), and later {@code clustering}
 * (DeepCluster) and {@code reconstruction} (autoencoders, VAE).
 */
package io.pretext.model.method;
