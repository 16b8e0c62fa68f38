package io.pretext.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class OptimizerConfigTest {

  @Test
  void adamWIsAdamPlusDecoupledWeightDecayScaledByLearningRate() {
    OptimizerConfig c = OptimizerConfig.adamW(1e-3, 0.05, 10, 100);
    Adam adam = assertInstanceOf(Adam.class, c.updater());
    assertEquals(c.learningRateSchedule(), adam.getLearningRateSchedule());
    assertEquals(1e-3, adam.getLearningRate(3, 0) * 10 / 4, 1e-15); // warm-up step 3: 4/10 of the peak
    List<Regularization> reg = c.weightRegularization();
    WeightDecay wd = assertInstanceOf(WeightDecay.class, reg.get(0));
    assertTrue(wd.isApplyLR());
    assertEquals(Regularization.ApplyStep.POST_UPDATER, wd.applyStep());
    assertEquals(0.05, wd.getCoeff().valueAt(0, 0));
  }

  @Test
  void adamWithWeightDecayIsCoupledL2() {
    OptimizerConfig c = new OptimizerConfig(OptimizerConfig.Algorithm.ADAM, 1e-3, 1e-4, 0, 100);
    assertInstanceOf(L2Regularization.class, c.weightRegularization().get(0));
    assertTrue(OptimizerConfig.adam(1e-3, 0, 10).weightRegularization().isEmpty());
  }

  @Test
  void rejectsBadValuesWithMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.adamW(0.0, 0.0, 0, 10));
    assertTrue(e.getMessage().contains("learningRate = 0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.adamW(1e-3, -1, 0, 10));
    assertTrue(e.getMessage().contains("weightDecay = -1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.adamW(1e-3, 0, 20, 10));
    assertTrue(e.getMessage().contains("totalSteps = 10"), e.getMessage());
  }
}
