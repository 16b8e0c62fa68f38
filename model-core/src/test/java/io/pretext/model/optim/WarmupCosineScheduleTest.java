package io.pretext.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class WarmupCosineScheduleTest {

  private static final double PEAK = 0.1;
  private static final int WARMUP = 10;
  private static final int TOTAL = 110;

  static Stream<Arguments> closedForm() {
    return Stream.of(
        Arguments.of("iteration 0", 0, PEAK * 1 / WARMUP),
        Arguments.of("mid warm-up", 4, PEAK * 5 / WARMUP),
        Arguments.of("last warm-up step", 9, PEAK),
        Arguments.of("end of warm-up = start of cosine", 10, PEAK),
        Arguments.of("quarter cosine", 35, PEAK * 0.5 * (1 + Math.cos(Math.PI * 0.25))),
        Arguments.of("mid cosine", 60, PEAK * 0.5),
        Arguments.of("end", 110, 0.0),
        Arguments.of("after end", 500, 0.0));
  }

  @ParameterizedTest(name = "{0}: i={1}")
  @MethodSource("closedForm")
  void matchesClosedForm(String label, int iteration, double expected) {
    ISchedule s = WarmupCosineSchedule.iterations(PEAK, WARMUP, TOTAL);
    assertEquals(expected, s.valueAt(iteration, 0), 1e-15);
  }

  @Test
  void finalValueAndEpochType() {
    WarmupCosineSchedule s = new WarmupCosineSchedule(ScheduleType.EPOCH, 1.0, 0.1, 0, 10);
    assertEquals(1.0, s.valueAt(999, 0), 1e-15); // epoch 0, no warm-up: the peak
    assertEquals(0.1 + 0.9 * 0.5, s.valueAt(0, 5), 1e-15);
    assertEquals(0.1, s.valueAt(0, 10), 1e-15);
  }

  @Test
  void isMonotoneAfterWarmup() {
    WarmupCosineSchedule s = WarmupCosineSchedule.iterations(PEAK, WARMUP, TOTAL);
    for (int i = WARMUP; i < TOTAL; i++) {
      assertTrue(s.valueAt(i + 1, 0) <= s.valueAt(i, 0));
    }
  }

  @Test
  void jsonRoundTripAsISchedule() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ISchedule s = new WarmupCosineSchedule(ScheduleType.ITERATION, 0.3, 0.01, 5, 50);
    String json = mapper.writeValueAsString(s);
    ISchedule back = mapper.readValue(json, ISchedule.class);
    assertInstanceOf(WarmupCosineSchedule.class, back);
    assertEquals(s, back);
    assertEquals(s.valueAt(17, 0), back.valueAt(17, 0));
  }

  @Test
  void rejectsBadValuesWithMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WarmupCosineSchedule.iterations(-1.0, 0, 10));
    assertTrue(e.getMessage().contains("peakValue = -1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WarmupCosineSchedule.iterations(0.1, 10, 10));
    assertTrue(e.getMessage().contains("totalSteps = 10"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WarmupCosineSchedule.iterations(0.1, -1, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new WarmupCosineSchedule(ScheduleType.ITERATION, 0.1, 0.2, 0, 10));
  }
}
