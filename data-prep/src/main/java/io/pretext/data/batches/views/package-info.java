/**
 * Minibatches of augmented image views for every {@link io.pretext.model.method.MultiViewMethod}: the factory, its
 * view-recipe options, and the batches themselves.
 */
package io.pretext.data.batches.views;
