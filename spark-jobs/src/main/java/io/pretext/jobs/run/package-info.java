/**
 * Run directories: {@code run.json}, {@code metrics.jsonl} and {@code checkpoints/round-NNNNNN/}
 * (each holding {@code model.zip}, its SHA-256 in {@code model.zip.sha256}, and its own {@code run.json}). Models are
 * read through {@link io.pretext.jobs.run.ModelFiles}, which treats every file as untrusted. A checkpoint is written under a
 * temporary name and renamed into place, and its {@code run.json} is written last inside it, so
 * a crash while writing never leaves a checkpoint that looks complete.
 */
package io.pretext.jobs.run;
