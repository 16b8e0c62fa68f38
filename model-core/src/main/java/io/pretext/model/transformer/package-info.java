/**
 * Transformer layers for DL4J 1.0.0-M2.1, hand-written (forward and backward in ND4J ops, no SameDiff), for BERT-style
 * encoders ({@link io.pretext.model.encoder.Bert}) and the masked-LM head.
 *
 * <p>Activations between layers are {@code [N, T, H]} (time before features, so a minibatch is a {@code [N * T, H]}
 * matrix for the dense steps), with DL4J's feature mask {@code [N, T]} marking real tokens. Each layer packs the real
 * tokens ({@link io.pretext.model.transformer.TransformerBlock}: projections, feed-forward, LayerNorm on {@code [R, H]}),
 * so padding costs no dense compute and never changes a real position's output.
 *
 * <ul>
 *   <li>{@link io.pretext.model.transformer.VocabularyTable}: the tied token embeddings and output bias, emitted as an
 *       activation so two vertices can use them; DL4J sums their gradients.</li>
 *   <li>{@link io.pretext.model.transformer.TokenLookup}: ids to embeddings through the table.</li>
 *   <li>{@link io.pretext.model.transformer.EmbeddingNorm}: position embeddings, LayerNorm, dropout.</li>
 *   <li>{@link io.pretext.model.transformer.TransformerBlock}: post-LN self-attention and GELU feed-forward.</li>
 *   <li>{@link io.pretext.model.transformer.MaskedMeanPooling}: mean over real tokens, {@code [N, H]}.</li>
 *   <li>{@link io.pretext.model.transformer.GatherPositions}, {@link io.pretext.model.transformer.MlmTransform},
 *       {@link io.pretext.model.transformer.TiedProjection}: the masked-LM head on the masked positions only.</li>
 * </ul>
 * Layers with parameters extend {@link io.pretext.model.transformer.TransformerLayer} and declare them as
 * {@link io.pretext.model.transformer.ParamSpec}s (role decides initialisation and weight decay). All configurations
 * round-trip through DL4J's JSON, so Spark workers and {@code ModelSerializer} rebuild them.
 */
package io.pretext.model.transformer;
