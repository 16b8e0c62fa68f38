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

  /**
   * The name of an image format Pretext recognises but does not decode (TIFF, WebP, HEIF/HEIC, AVIF, JPEG 2000,
   * JPEG XL), from its signature, or {@code null}. Such files are quarantined as unsupported with that name, not as
   * "not an image": they are images, in a format to convert first.
   */
  public static String unreadFormat(byte[] bytes) {
    if (startsWith(bytes, 'I', 'I', 0x2A, 0x00) || startsWith(bytes, 'M', 'M', 0x00, 0x2A)
        || startsWith(bytes, 'I', 'I', 0x2B, 0x00) || startsWith(bytes, 'M', 'M', 0x00, 0x2B)) {
      return "TIFF";
    }
    if (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B'
        && bytes[11] == 'P') {
      return "WebP";
    }
    if (bytes.length >= 12 && bytes[4] == 'f' && bytes[5] == 't' && bytes[6] == 'y' && bytes[7] == 'p') {
      String brand = new String(bytes, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
      switch (brand) {
        case "avif", "avis" -> {
          return "AVIF";
        }
        case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1" -> {
          return "HEIF";
        }
        case "jp2 " -> {
          return "JPEG 2000";
        }
        default -> {
          return null;
        }
      }
    }
    if (startsWith(bytes, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(bytes, 0xFF, 0x4F, 0xFF, 0x51)) {
      return "JPEG 2000";
    }
    if (startsWith(bytes, 0xFF, 0x0A) || startsWith(bytes, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
      return "JPEG XL";
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
