package io.pretext.model.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBatchTest {
  // Two sequences padded to 4: [CLS] 7 8 [SEP] and [CLS] 9 [SEP] [PAD]; position 1 (token 7) and 5 (token 9) masked.
  private static final int[] TOKENS = {2, 4, 8, 3, 2, 4, 3, 0};
  private static final int[] LENGTHS = {4, 3};

  @Test
  void acceptsAValidBatchAndCountsRealTokens() {
    TokenBatch b = new TokenBatch(2, 4, TOKENS, LENGTHS, new int[] {1, 5}, new int[] {7, 9});
    assertEquals(7, b.realTokens());
    assertEquals(2, b.maskedPositions().length);
    assertEquals(0, TokenBatch.unmasked(2, 4, TOKENS, LENGTHS).maskedLabels().length);
  }

  @Test
  void refusesTargetsOnPaddingOutOfOrderOrMismatched() {
    IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
        () -> new TokenBatch(2, 4, TOKENS, LENGTHS, new int[] {7}, new int[] {1}));
    assertTrue(padding.getMessage().contains("maskedPositions[0]"), padding.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 4, TOKENS, LENGTHS, new int[] {5, 1}, new int[] {9, 7}));
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 4, TOKENS, LENGTHS, new int[] {1}, new int[] {7, 9}));
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 4, new int[7], LENGTHS, new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 4, TOKENS, new int[] {5, 3}, new int[0], new int[0]));
  }
}
