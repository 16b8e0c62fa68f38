"""HuggingFace reference for Pretext's WordPiece training and tokenisation figures in the README.

  /work/venvs/hf-tok/bin/python bench/reference/wordpiece_reference.py work/wordnet/train.jsonl --out /tmp/hf-wordnet
  RAYON_NUM_THREADS=1 /work/venvs/hf-tok/bin/python bench/reference/wordpiece_reference.py work/wordnet/train.jsonl --out /tmp/hf1

(venv: python3 -m venv /work/venvs/hf-tok && /work/venvs/hf-tok/bin/pip install --no-index --find-links /opt/pypi/files
tokenizers==0.22.2; train.jsonl from io.pretext.jobs.demo.WordNetGlosses.) Trains BertWordPieceTokenizer (uncased,
vocabulary 8000, min_frequency 2, limit_alphabet 1000: BertWordPieceTokenizer.train's defaults, as prepare-text's) on the
"text" field, --repeats times, then tokenises every text with encode_batch (HF's threads: RAYON_NUM_THREADS, default all
cores) and with encode one text at a time (one thread), without special tokens. Prints one JSON line (with a SHA-256 of all
ids, which io.pretext.bench.WordPieceBench --hf-vocab OUT/vocab.txt recomputes with Pretext's tokenizer); writes
OUT/vocab.txt.
Nothing is downloaded.
"""
import argparse, hashlib, json, os, statistics, struct, time
from tokenizers import BertWordPieceTokenizer

p = argparse.ArgumentParser()
p.add_argument('train_jsonl')
p.add_argument('--vocab-size', type=int, default=8000)
p.add_argument('--repeats', type=int, default=5)
p.add_argument('--out', default='/tmp/hf-wordpiece')
p.add_argument('--cased', action='store_true')
a = p.parse_args()

with open(a.train_jsonl, encoding='utf-8') as f:
    texts = [json.loads(line)['text'] for line in f if line.strip()]

# Wall and CPU seconds (the process's, HF's threads included): the CPU time is what a shared machine distorts least.
train_s, train_cpu = [], []
for r in range(a.repeats):
    tok = BertWordPieceTokenizer(lowercase=not a.cased)
    t0, c0 = time.perf_counter(), time.process_time()
    tok.train_from_iterator(texts, vocab_size=a.vocab_size, min_frequency=2, limit_alphabet=1000, show_progress=False)
    train_s.append(time.perf_counter() - t0)
    train_cpu.append(time.process_time() - c0)
os.makedirs(a.out, exist_ok=True)
tok.save_model(a.out)

batch_s, batch_cpu, loop_s, loop_cpu, tokens = [], [], [], [], 0
for r in range(a.repeats):
    t0, c0 = time.perf_counter(), time.process_time()
    enc = tok.encode_batch(texts, add_special_tokens=False)
    batch_s.append(time.perf_counter() - t0)
    batch_cpu.append(time.process_time() - c0)
    tokens = sum(len(e.ids) for e in enc)
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        tok.encode(t, add_special_tokens=False)
    loop_s.append(time.perf_counter() - t0)
    loop_cpu.append(time.process_time() - c0)

# The ids of every text, as the Java bench hashes them (per text: int32 LE count, then int32 LE ids), so the two
# tokenizers can be compared on the whole corpus with the same vocab.txt.
digest = hashlib.sha256()
for e in enc:
    digest.update(struct.pack('<i', len(e.ids)) + struct.pack('<%di' % len(e.ids), *e.ids))

print(json.dumps({
    'texts': len(texts), 'tokens': tokens, 'vocab': tok.get_vocab_size(),
    'rayon_threads': os.environ.get('RAYON_NUM_THREADS', 'all'),
    'train_seconds': [round(x, 3) for x in train_s], 'train_median': round(statistics.median(train_s), 3),
    'train_cpu_seconds': [round(x, 3) for x in train_cpu],
    'encode_batch_tokens_per_s': [round(tokens / x) for x in batch_s],
    'encode_batch_tokens_per_cpu_s': [round(tokens / x) for x in batch_cpu],
    'encode_one_by_one_tokens_per_s': [round(tokens / x) for x in loop_s],
    'encode_one_by_one_tokens_per_cpu_s': [round(tokens / x) for x in loop_cpu],
    'ids_sha256': digest.hexdigest(),
}))
