"""Golden values of HuggingFace BertForMaskedLM for Pretext's masked-LM test (MaskedLmHuggingFaceTest).

Builds a tiny BERT (vocabulary 13, hidden 8, 2 layers, 2 heads, feed-forward 12, 10 positions, one token type),
draws every parameter from N(0, 0.3^2) (BERT's 0.02 would make attention nearly uniform), runs one masked batch in
float64 and writes the parameters, the batch, the logits at the masked positions, the loss and every parameter's
gradient to JSON. Pretext loads the parameters into its graph and must reproduce the logits, the loss and the
gradients. Regenerate with:
  python bench/reference/mlm_golden.py model-core/src/test/resources/mlm/hf_bert_golden.json
Needs torch and transformers (any 4.x/5.x with BertForMaskedLM); no downloads.
"""
import json, sys, torch, transformers
from transformers import BertConfig, BertForMaskedLM

torch.manual_seed(20260516)
cfg = BertConfig(vocab_size=13, hidden_size=8, num_hidden_layers=2, num_attention_heads=2, intermediate_size=12,
                 max_position_embeddings=10, type_vocab_size=1, hidden_dropout_prob=0.0,
                 attention_probs_dropout_prob=0.0, hidden_act="gelu", layer_norm_eps=1e-12)
model = BertForMaskedLM(cfg).double()
with torch.no_grad():
    for p in model.parameters():
        p.normal_(0.0, 0.3)
model.train()  # dropout is 0; train mode as in training

# Three sequences padded to 7 with [PAD] = 0; [MASK] = 4 at the masked positions; labels -100 elsewhere.
seqs = [[2, 7, 9, 11, 5, 8, 3], [2, 10, 6, 3], [2, 12, 3]]
masked = [[1, 4, 5], [2], [1]]
T = 7
ids = torch.zeros(3, T, dtype=torch.long)
att = torch.zeros(3, T, dtype=torch.long)
labels = torch.full((3, T), -100, dtype=torch.long)
for i, s in enumerate(seqs):
    ids[i, :len(s)] = torch.tensor(s)
    att[i, :len(s)] = 1
    for p in masked[i]:
        labels[i, p] = s[p]
        ids[i, p] = 4
out = model(input_ids=ids, attention_mask=att, labels=labels)
out.loss.backward()
sel = labels != -100
golden = {
    "transformers": transformers.__version__, "torch": torch.__version__,
    "config": {"vocab": 13, "hidden": 8, "layers": 2, "heads": 2, "ff": 12, "positions": 10},
    "tokens": ids.tolist(), "lengths": [len(s) for s in seqs],
    "positions": [i * T + p for i in range(3) for p in range(T) if sel[i, p]],
    "targets": labels[sel].tolist(),
    "logits": out.logits[sel].tolist(),
    "loss": out.loss.item(),
    "params": {n: p.detach().tolist() for n, p in model.named_parameters()},
    "grads": {n: p.grad.tolist() for n, p in model.named_parameters()},
}
with open(sys.argv[1], "w") as f:
    json.dump(golden, f)
print("loss", out.loss.item(), "params", sum(p.numel() for p in model.parameters()))
