/**
 * {@code pretext fill-mask}: the most probable tokens at every {@code [MASK]} of a text, from a masked-LM run's
 * checkpoint, its vocabulary and its tokenizer's case setting.
 */
package io.pretext.jobs.fillmask;
