package io.pretext.data.image;

/** Encoded image formats recognised by their leading bytes (magic numbers), never by file name. */
public enum ImageFormat {
  PNG, JPEG, BMP, GIF;

  /** Returns the format whose signature starts {@code bytes}, or {@code null} if none matches. */
  public static ImageFormat sniff(byte[] bytes) {
    if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(bytes, 'G', 'I', 'F', '8')) {
      return GIF;
    }
    if (startsWith(bytes, 'B', 'M') && bytes.length >= 26) {
      return BMP;
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int... signature) {
    if (bytes.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((bytes[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
