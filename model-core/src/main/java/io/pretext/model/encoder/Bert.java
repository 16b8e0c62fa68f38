package io.pretext.model.encoder;

import io.pretext.model.DatasetKind;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.config.OptionCheck;
import io.pretext.model.transformer.EmbeddingNorm;
import io.pretext.model.transformer.MaskedMeanPooling;
import io.pretext.model.transformer.TokenLookup;
import io.pretext.model.transformer.TransformerBlock;
import io.pretext.model.transformer.VocabularyTable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * BERT's Transformer encoder (Devlin et al. 2019) for token sequences, built from Pretext's hand-written DL4J layers
 * ({@link io.pretext.model.transformer}): post-LayerNorm blocks as in the paper, GELU feed-forward, truncated-normal
 * 0.02 initialisation, LayerNorm epsilon 1e-12, learned absolute positions, no segment embeddings.
 *
 * <pre>
 *   ids [N, T] (feature mask [N, T])
 *   token_table   VocabularyTable       [V, H + 1]   tied token embeddings W and masked-LM output bias
 *   token_lookup  TokenLookup           [N, T, H]    W[ids]
 *   embeddings    EmbeddingNorm         [N, T, H]    + position embeddings, LayerNorm, dropout
 *   block_0 .. block_{L-1} TransformerBlock [N, T, H]
 *   representation MaskedMeanPooling    [N, H]       mean over the real tokens
 * </pre>
 * {@code V} and the number of position embeddings come from the {@link TokenInput}; padding never changes the outputs
 * at real positions. Named sizes (Turc et al. 2019, "Well-Read Students Learn Better", the compact BERTs):
 * {@value #TINY} (L=2, H=128, A=2, F=512) and {@value #MINI} (L=4, H=256, A=4, F=1024); any other size is the
 * registry name {@code bert:layers=L,hidden=H,heads=A,ff=F} ({@link #parse}).
 *
 * <p>{@link #addTo(GraphBuilder, String, String, ModelInput)} builds the encoder without dropout (inference,
 * evaluation); a method that trains it passes its dropout to {@link #addTo(GraphBuilder, String, String, TokenInput,
 * double, double)}. The masked-LM head reads {@link #sequenceOutput} and {@link #tokenTable}.
 *
 * @param name        registry name
 * @param layers      Transformer blocks {@code L}, at least 1
 * @param hidden      hidden size {@code H}, a multiple of {@code heads}
 * @param heads       attention heads {@code A}, at least 1
 * @param feedForward feed-forward width {@code F}, at least 1
 */
public record Bert(String name, int layers, int hidden, int heads, int feedForward) implements EncoderSpec {

  /** Registry name of the 2-layer, 128-wide BERT. */
  public static final String TINY = "bert-tiny";
  /** Registry name of the 4-layer, 256-wide BERT. */
  public static final String MINI = "bert-mini";
  /** Prefix of an explicit size, {@code bert:layers=L,hidden=H,heads=A,ff=F}. */
  public static final String SPEC_PREFIX = "bert:";
  /** Local name of the vocabulary table vertex. */
  public static final String TOKEN_TABLE = "token_table";
  /** Local name of the token lookup vertex. */
  public static final String TOKEN_LOOKUP = "token_lookup";
  /** Local name of the embedding sum and LayerNorm. */
  public static final String EMBEDDINGS = "embeddings";
  /** Local name prefix of the blocks, {@code block_0 .. block_{L-1}}. */
  public static final String BLOCK = "block_";

  public Bert {
    OptionCheck.require(name != null && !name.isBlank(), "Bert.name", name, "a registry name such as " + TINY);
    OptionCheck.require(layers >= 1 && layers <= 48, "bert layers", layers, "an integer 1..48");
    OptionCheck.require(heads >= 1 && heads <= 64, "bert heads", heads, "an integer 1..64");
    OptionCheck.require(hidden >= 1 && hidden <= 4096 && hidden % heads == 0, "bert hidden", hidden,
        "an integer 1..4096 divisible by heads (" + heads + ")");
    OptionCheck.require(feedForward >= 1 && feedForward <= 16384, "bert ff", feedForward, "an integer 1..16384");
  }

  /** {@value #TINY}: 2 layers, hidden 128, 2 heads, feed-forward 512. */
  public static Bert tiny() {
    return new Bert(TINY, 2, 128, 2, 512);
  }

  /** {@value #MINI}: 4 layers, hidden 256, 4 heads, feed-forward 1024. */
  public static Bert mini() {
    return new Bert(MINI, 4, 256, 4, 1024);
  }

  /**
   * An explicit size, {@code bert:layers=L,hidden=H,heads=A,ff=F} (all four keys, any order, no spaces needed); its
   * {@link #name()} is the spec in canonical order.
   *
   * @throws IllegalArgumentException naming the key and the allowed values if the spec is malformed
   */
  public static Bert parse(String spec) {
    String allowed = SPEC_PREFIX + "layers=L,hidden=H,heads=A,ff=F, e.g. " + SPEC_PREFIX + "layers=4,hidden=256,heads=4,ff=1024";
    OptionCheck.require(spec != null && spec.toLowerCase(Locale.ROOT).startsWith(SPEC_PREFIX), "--encoder", spec, allowed);
    Map<String, Integer> values = new LinkedHashMap<>();
    for (String part : spec.substring(SPEC_PREFIX.length()).split(",")) {
      String[] kv = part.trim().split("=", -1);
      OptionCheck.require(kv.length == 2, "--encoder", spec, allowed);
      String key = kv[0].trim().toLowerCase(Locale.ROOT);
      OptionCheck.require(key.equals("layers") || key.equals("hidden") || key.equals("heads") || key.equals("ff"),
          "--encoder key '" + key + "'", spec, allowed);
      OptionCheck.require(!values.containsKey(key), "--encoder key '" + key + "' (repeated)", spec, allowed);
      try {
        values.put(key, Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw OptionCheck.invalid("--encoder " + key, kv[1], "an integer");
      }
    }
    OptionCheck.require(values.size() == 4, "--encoder", spec, allowed + " (all four keys)");
    int layers = values.get("layers");
    int hidden = values.get("hidden");
    int heads = values.get("heads");
    int ff = values.get("ff");
    String canonical = SPEC_PREFIX + "layers=" + layers + ",hidden=" + hidden + ",heads=" + heads + ",ff=" + ff;
    return new Bert(canonical, layers, hidden, heads, ff);
  }

  @Override
  public int representationDim() {
    return hidden;
  }

  @Override
  public DatasetKind kind() {
    return DatasetKind.TEXT;
  }

  /** Without dropout. */
  @Override
  public EncoderOutput addTo(GraphBuilder graph, String prefix, String input, ModelInput shape) {
    return addTo(graph, prefix, input, ModelInput.tokens(shape, "encoder " + name), 0.0, 0.0);
  }

  /**
   * Adds the encoder with BERT's dropouts.
   *
   * @param input            the graph input holding the token ids {@code [N, T]} (with the feature mask)
   * @param dropout          after the embeddings, the attention output and the feed-forward output, in [0, 1)
   * @param attentionDropout on the attention weights, in [0, 1)
   */
  public EncoderOutput addTo(GraphBuilder graph, String prefix, String input, TokenInput tokens, double dropout,
      double attentionDropout) {
    graph.addLayer(prefix + TOKEN_TABLE, new VocabularyTable(tokens.vocabSize(), hidden), input);
    graph.addVertex(prefix + TOKEN_LOOKUP, new TokenLookup(), input, prefix + TOKEN_TABLE);
    graph.addLayer(prefix + EMBEDDINGS, new EmbeddingNorm(hidden, tokens.maxLength(), dropout), prefix + TOKEN_LOOKUP);
    String x = prefix + EMBEDDINGS;
    for (int i = 0; i < layers; i++) {
      graph.addLayer(prefix + BLOCK + i, new TransformerBlock(hidden, heads, feedForward, dropout, attentionDropout), x);
      x = prefix + BLOCK + i;
    }
    graph.addLayer(prefix + REPRESENTATION, new MaskedMeanPooling(), x);
    return new EncoderOutput(prefix + REPRESENTATION, hidden);
  }

  /** The vertex holding the final hidden states {@code [N, T, H]}: the last block. */
  public String sequenceOutput(String prefix) {
    return prefix + BLOCK + (layers - 1);
  }

  /** The vertex holding the tied vocabulary table {@code [V, H + 1]}. */
  public String tokenTable(String prefix) {
    return prefix + TOKEN_TABLE;
  }

  @Override
  public String toString() {
    return name;
  }

  /** The embeddings (token table, lookup, position embeddings and their norm) are one block, then each Transformer block. */
  @Override
  public String blockOf(String localName) {
    return localName.startsWith(BLOCK) ? localName : localName.equals(REPRESENTATION) ? REPRESENTATION : EMBEDDINGS;
  }
}
