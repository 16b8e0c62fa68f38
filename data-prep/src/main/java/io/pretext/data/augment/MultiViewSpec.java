package io.pretext.data.augment;

import java.io.Serializable;

/**
 * How many views to make per record: {@code globalViews} full-size views (SimCLR uses 2) and
 * optionally {@code smallCrops} low-resolution multi-crop views (SwAV, Caron et al. 2020, Section
 * 3.2: 2 x 224 px with scale [0.14, 1] plus 6 x 96 px with scale [0.05, 0.14]). Small crops use the
 * same recipe as the global views except for their output size and crop scale range.
 *
 * <p>View indices: {@code 0 .. globalViews-1} are global, {@code globalViews .. totalViews()-1}
 * are small.
 *
 * @param globalViews number of global views, >= 1; default 2
 * @param smallCrops number of small crops, >= 0; default 0
 * @param smallHeight small crop rows, >= 1; SwAV 96
 * @param smallWidth small crop columns, >= 1; SwAV 96
 * @param smallScaleMin smallest area fraction of a small crop, (0, 1]; SwAV 0.05
 * @param smallScaleMax largest area fraction of a small crop, [smallScaleMin, 1]; SwAV 0.14
 */
public record MultiViewSpec(
    int globalViews, int smallCrops, int smallHeight, int smallWidth, double smallScaleMin, double smallScaleMax)
    implements Serializable {

  /** SwAV small-crop side in pixels. */
  public static final int SWAV_SMALL_SIZE = 96;
  /** SwAV small-crop scale range. */
  public static final double SWAV_SMALL_SCALE_MIN = 0.05;
  public static final double SWAV_SMALL_SCALE_MAX = 0.14;

  public MultiViewSpec {
    Check.atLeast("globalViews", globalViews, 1);
    Check.atLeast("smallCrops", smallCrops, 0);
    Check.atLeast("smallHeight", smallHeight, 1);
    Check.atLeast("smallWidth", smallWidth, 1);
    Check.fraction("smallScaleMin", smallScaleMin);
    Check.fraction("smallScaleMax", smallScaleMax);
    Check.ordered("smallScaleMin", smallScaleMin, "smallScaleMax", smallScaleMax);
    if ((long) globalViews + smallCrops > 1024) {
      throw new IllegalArgumentException("globalViews + smallCrops = " + ((long) globalViews + smallCrops)
          + " is outside the allowed range [1, 1024]");
    }
  }

  /** SimCLR: two global views, no small crops. */
  public static MultiViewSpec simclr() {
    return new MultiViewSpec(2, 0, SWAV_SMALL_SIZE, SWAV_SMALL_SIZE, SWAV_SMALL_SCALE_MIN, SWAV_SMALL_SCALE_MAX);
  }

  /** SwAV multi-crop: two global views plus {@code smallCrops} crops of {@code size x size}. */
  public static MultiViewSpec multiCrop(int smallCrops, int size) {
    return new MultiViewSpec(2, smallCrops, size, size, SWAV_SMALL_SCALE_MIN, SWAV_SMALL_SCALE_MAX);
  }

  /** {@code globalViews + smallCrops}. */
  public int totalViews() {
    return globalViews + smallCrops;
  }

  /** True if {@code viewIndex} is a global view. */
  public boolean isGlobal(int viewIndex) {
    return viewIndex < globalViews;
  }
}
