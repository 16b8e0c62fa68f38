"""HuggingFace reference for Pretext's masked-LM training throughput (MlmThroughputBench).

Trains transformers' BertForMaskedLM (bert-tiny by default: 2 layers, hidden 128, 2 heads, feed-forward 512; BERT's
dropout 0.1) with AdamW (lr 1e-3, weight decay 0.01, none on biases and LayerNorm) on the batches MlmThroughputBench
wrote (--write F, JSON lines: n, t, tokens, lengths, masked positions, labels), padded as written, attention mask from
the lengths, labels -100 outside the masked positions; the model computes its vocabulary projection at every position,
as BertForMaskedLM does. Reports real (non-padding) tokens per second of optimiser steps, warm-up excluded, median of
--repeats passes over the batches. Needs torch and transformers; no downloads.

  python bench/reference/mlm_reference.py --batches /tmp/mlm_batches.jsonl --threads 1,2
"""
import argparse, json, statistics, time, torch
from transformers import BertConfig, BertForMaskedLM

p = argparse.ArgumentParser()
p.add_argument('--batches', required=True)
p.add_argument('--threads', default='1,2')
p.add_argument('--vocab', type=int, default=8000)
p.add_argument('--max-len', type=int, default=64)
p.add_argument('--layers', type=int, default=2)
p.add_argument('--hidden', type=int, default=128)
p.add_argument('--heads', type=int, default=2)
p.add_argument('--ff', type=int, default=512)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--repeats', type=int, default=3)
a = p.parse_args()

batches = []
with open(a.batches) as f:
    for line in f:
        b = json.loads(line)
        n, t = b['n'], b['t']
        ids = torch.tensor(b['tokens'], dtype=torch.long).view(n, t)
        att = torch.zeros(n, t, dtype=torch.long)
        for i, length in enumerate(b['lengths']):
            att[i, :length] = 1
        labels = torch.full((n * t,), -100, dtype=torch.long)
        labels[torch.tensor(b['positions'])] = torch.tensor(b['labels'])
        batches.append((ids, att, labels.view(n, t), int(sum(b['lengths']))))
real = sum(b[3] for b in batches)

for threads in [int(x) for x in a.threads.split(',')]:
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    cfg = BertConfig(vocab_size=a.vocab, hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=a.heads,
                     intermediate_size=a.ff, max_position_embeddings=a.max_len, type_vocab_size=2)
    model = BertForMaskedLM(cfg)
    model.train()
    no_decay = ['bias', 'LayerNorm.weight']
    opt = torch.optim.AdamW([
        {'params': [q for n_, q in model.named_parameters() if not any(nd in n_ for nd in no_decay)], 'weight_decay': 0.01},
        {'params': [q for n_, q in model.named_parameters() if any(nd in n_ for nd in no_decay)], 'weight_decay': 0.0}], lr=1e-3)

    def step(b):
        loss = model(input_ids=b[0], attention_mask=b[1], labels=b[2]).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(a.warmup):
        step(batches[i % len(batches)])
    rates = []
    for r in range(a.repeats):
        t0 = time.perf_counter()
        for b in batches:
            loss = step(b)
        s = time.perf_counter() - t0
        rates.append(real / s)
        print(f'  threads={threads} run {r}: {real / s:.0f} real tokens/s ({s / len(batches):.3f} s/step), loss {loss:.3f}', flush=True)
    print(json.dumps({'bench': 'mlm_throughput', 'impl': 'huggingface', 'transformers': __import__('transformers').__version__,
                      'torch': torch.__version__, 'threads': threads, 'median_real_tokens_per_s': round(statistics.median(rates)),
                      'min': round(min(rates)), 'max': round(max(rates)), 'runs': [round(x) for x in rates]}), flush=True)
