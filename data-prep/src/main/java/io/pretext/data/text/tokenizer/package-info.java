/**
 * BERT's WordPiece tokenizer and vocabulary trainer in pure Java, giving exactly the ids of HuggingFace's
 * {@code BertWordPieceTokenizer} (tokenizers 0.22.2) for the same {@code vocab.txt} and case setting.
 *
 * <ul>
 *   <li>{@link io.pretext.data.text.tokenizer.BasicTokenizer}: {@code BertNormalizer} + {@code BertPreTokenizer}, with
 *       HuggingFace's own character classes ({@code BertUnicode}, from {@code bert-unicode.txt});
 *   <li>{@link io.pretext.data.text.tokenizer.WordPiece}: greedy longest-match-first, 100 characters per word at most;
 *   <li>{@link io.pretext.data.text.tokenizer.BertTokenizer}: the two together;
 *   <li>{@link io.pretext.data.text.tokenizer.Vocabulary}: {@code vocab.txt}, read and validated;
 *   <li>{@link io.pretext.data.text.tokenizer.WordPieceTrainer}: HuggingFace's WordPieceTrainer (BPE merges with the
 *       {@code ##} prefix) on word counts, deterministic.
 * </ul>
 * Tested against HuggingFace on every Unicode code point, on 3,082 golden strings, on the trainer's output token for
 * token, and (bench) on all 94,111 WordNet training glosses. The golden data is made by
 * {@code bench/reference/bert_golden.py}.
 */
package io.pretext.data.text.tokenizer;
