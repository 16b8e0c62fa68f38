package io.pretext.jobs.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.model.lifecycle.Pca;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** PCA's reconstruction error in closed form: exact with every component, the orthogonal residual with fewer. */
class ReconstructPcaTest {

  /** 2 images of 1x1x4 pixels, mean m, one component e0: the error is what lies off m + span(e0). */
  @Test
  void errorIsTheResidualOffTheComponents() {
    double[] mean = {0.5, 0.5, 0.5, 0.5};
    double[][] one = {{1}, {0}, {0}, {0}};
    float[] x = {0.9f, 0.5f, 0.7f, 0.5f, 0.1f, 0.2f, 0.5f, 0.5f};
    var images = Nd4j.create(x, new long[] {2, 1, 2, 2}, 'c');
    // image 0 residual: (0, 0, 0.2, 0); image 1: (0, -0.3, 0, 0) -> (0.04 + 0.09) / 8
    assertEquals((0.04 + 0.09) / 8, Reconstruct.pcaMse(new Pca(mean, one, new double[] {1}), images), 1e-7);
    double[][] all = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    assertEquals(0, Reconstruct.pcaMse(new Pca(mean, all, new double[] {1, 1, 1, 1}), images), 1e-12, "every component: exact");
    double s = Math.sqrt(0.5);
    double[][] diagonal = {{s}, {0}, {s}, {0}};
    // image 0: c = (0.4, 0, 0.2, 0), along (1,0,1,0)/sqrt2: 0.3 each -> residual (0.1, 0, -0.1, 0)
    // image 1: c = (-0.4, -0.3, 0, 0): along: -0.2 each -> residual (-0.2, -0.3, 0.2, 0)
    assertEquals((0.01 + 0.01 + 0.04 + 0.09 + 0.04) / 8, Reconstruct.pcaMse(new Pca(mean, diagonal, new double[] {1}), images), 1e-7);
  }
}
