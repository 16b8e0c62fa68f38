/** {@code pretext pretrain}: assembles a method, an encoder, the dataset's minibatches and the training driver. */
package io.pretext.jobs.pretrain;
