package io.pretext.data.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.prep.Candidate;
import io.pretext.data.prep.Outcome;
import io.pretext.data.text.RawDocument;
import io.pretext.data.text.TextOutcome;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.common.primitives.AtomicDouble;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.kryo.primitives.AtomicDoubleSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo registration for Pretext: ND4J's arrays through ND4J's own {@link Nd4jSerializer} (INDArrays
 * live off-heap; Kryo's field serializer would copy pointers, not data), plus Pretext's record types.
 *
 * <p>The published {@code nd4j-kryo_2.12:1.0.0-M2} jar ships {@code Nd4jSerializer} and
 * {@code AtomicDoubleSerializer} but not the {@code Nd4jRegistrator} its documentation names, so
 * this class performs that registrator's ND4J registrations itself. Java records need explicit
 * serializers: Kryo's field serializer cannot set a record's final fields on Java 17.
 */
public class PretextKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.addDefaultSerializer(INDArray.class, Nd4jSerializer.class);
    kryo.register(Nd4j.getBackend().getNDArrayClass(), new Nd4jSerializer());
    kryo.register(AtomicDouble.class, new AtomicDoubleSerializer());
    kryo.register(DecodedImage.class, new DecodedImageSerializer());
    kryo.register(Candidate.class);
    kryo.register(Outcome.class);
    kryo.register(RawDocument.class);
    kryo.register(TextOutcome.class);
    kryo.register(byte[].class);
    kryo.register(float[].class);
  }

  /** Writes channels, height, width and the raw pixel bytes. */
  static final class DecodedImageSerializer extends Serializer<DecodedImage> {
    @Override
    public void write(Kryo kryo, Output output, DecodedImage image) {
      output.writeInt(image.channels(), true);
      output.writeInt(image.height(), true);
      output.writeInt(image.width(), true);
      output.writeInt(image.pixels().length, true);
      output.writeBytes(image.pixels());
    }

    @Override
    public DecodedImage read(Kryo kryo, Input input, Class<DecodedImage> type) {
      int c = input.readInt(true);
      int h = input.readInt(true);
      int w = input.readInt(true);
      byte[] pixels = input.readBytes(input.readInt(true));
      return new DecodedImage(c, h, w, pixels);
    }
  }
}
