/**
 * Masked-language-model inputs (Devlin et al. 2019, "BERT"; dynamic masking as in RoBERTa, Liu et al. 2019): the
 * validated recipe {@link io.pretext.data.text.masking.MaskingConfig}, the per-record masking function
 * {@link io.pretext.data.text.masking.DynamicMasking} (a pure function of seed, epoch, record key and the record's
 * tokens), and {@link io.pretext.data.text.masking.TokenBatchBuilder}, which turns records into the
 * {@link io.pretext.model.batch.TokenBatch} a text method trains on. Everything here is plain Java, serializable, meant
 * to run inside a Spark {@code mapPartitions}:
 *
 * <pre>
 * DynamicMasking masking = DynamicMasking.of(config, seed, dataset.vocabulary(conf));   // driver; ship in the closure
 * rows.mapPartitions(it -&gt; {                                                         // executors
 *   TokenBatchBuilder b = new TokenBatchBuilder();
 *   it.forEachRemaining(r -&gt; b.add(TextRecords.tokens(r), TextRecords.recordKey(r)));
 *   return List.of(b.masked(masking, epoch)).iterator();
 * });
 * </pre>
 */
package io.pretext.data.text.masking;
