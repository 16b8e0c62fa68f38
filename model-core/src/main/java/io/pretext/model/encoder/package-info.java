/**
 * Encoders (backbones): {@link io.pretext.model.encoder.EncoderSpec} adds an encoder's layers to a DL4J
 * {@code ComputationGraphConfiguration.GraphBuilder} and reports its representation vertex and dimension.
 *
 * <p>Encoders are selected by name through {@link io.pretext.model.encoder.Encoders#byName(String)}:
 * {@code small-cnn} ({@link io.pretext.model.encoder.SmallCnn}, 128-d), {@code resnet20}, {@code resnet20-wide},
 * {@code resnet18-small} and {@code resnet50} ({@link io.pretext.model.encoder.ResNet}, 64-d, 256-d, 512-d and
 * 2048-d) take NCHW images described by
 * {@link io.pretext.model.InputShape} and end in global average pooling; {@code bert-tiny}, {@code bert-mini} and
 * {@code bert:layers=L,hidden=H,heads=A,ff=F} ({@link io.pretext.model.encoder.Bert}) take token ids described by
 * {@link io.pretext.model.TokenInput} and end in a mean over the real tokens. Either way the representation is
 * {@code [N, dim]}.
 */
package io.pretext.model.encoder;
