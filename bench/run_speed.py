"""Pretext vs PyTorch training throughput, measured in one run on this machine (bench/run-speed.sh calls this).

For each configuration (encoder, input, batch, threads) and each of --rounds rounds, runs Pretext's
TrainThroughputBench (oneDNN helpers, a fresh JVM) and bench/reference/train_speed.py (PyTorch, a fresh process) once
each, alternating which goes first, so that both see the same machine state. Each run warms up, then times --iters
training steps (SimCLR, pre-made views, AdamW, NT-Xent). Reports per configuration the median images/s of each stack
with the range over rounds, and the median and range of the per-round ratio Pretext / PyTorch. One-thread
configurations also give the ratio of images per CPU-second (Pretext's training thread, PyTorch's process), which
other processes' load barely moves: the figure to read on a busy machine. Prints a Markdown table
and writes every run as JSON (--out).

Only the standard library: it runs under any python3; PyTorch is needed by --python only.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONFIGS = {
  # name: (encoder, size, channels, batch, threads, warmup, iters)
  'small-cnn-b128-t1': ('small-cnn', 28, 1, 128, 1, 3, 10),
  'small-cnn-b256-t1': ('small-cnn', 28, 1, 256, 1, 2, 5),
  'small-cnn-b128-t2': ('small-cnn', 28, 1, 128, 2, 3, 10),
  'small-cnn-b256-t2': ('small-cnn', 28, 1, 256, 2, 2, 5),
  'resnet20-b128-t1': ('resnet20', 32, 3, 128, 1, 2, 5),
  'resnet20-b128-t2': ('resnet20', 32, 3, 128, 2, 2, 5),
  'resnet20-wide-b128-t1': ('resnet20-wide', 32, 3, 128, 1, 1, 2),
  'resnet20-wide-b128-t2': ('resnet20-wide', 32, 3, 128, 2, 1, 2),
  'resnet18-small-b128-t1': ('resnet18-small', 32, 3, 128, 1, 1, 2),
  'resnet18-small-b128-t2': ('resnet18-small', 32, 3, 128, 2, 1, 2),
  # Pretext: 2 data-parallel workers of 1 thread each in one JVM (as Spark local mode), vs PyTorch on 2 threads
  'small-cnn-b128-2workers': ('small-cnn', 28, 1, 128, 2, 3, 10),
}
WORKERS = {'small-cnn-b128-2workers': 2}
DEFAULT = ['small-cnn-b128-t1', 'small-cnn-b256-t1', 'small-cnn-b128-t2', 'small-cnn-b128-2workers',
           'resnet18-small-b128-t1']


def cpu_model():
  try:
    out = subprocess.run(['lscpu'], capture_output=True, text=True).stdout
    for line in out.splitlines():
      if line.startswith('Model name:'):
        return line.split(':', 1)[1].strip()
  except OSError:
    pass
  return platform.processor() or 'unknown'


def load():
  return [round(x, 2) for x in os.getloadavg()]


def last_json(text, key):
  for line in reversed(text.splitlines()):
    line = line.strip()
    if line.startswith('{') and key in line:
      return json.loads(line)
  raise RuntimeError('no JSON line with ' + key + ' in output:\n' + text[-3000:])


def run_pretext(java_cmd, cfg, workers=0):
  enc, size, ch, batch, threads, warmup, iters = cfg
  cmd = java_cmd + ['io.pretext.bench.TrainThroughputBench', '--impl', 'onednn', '--encoder', enc,
                    '--size', str(size), '--channels', str(ch), '--batch', str(batch), '--threads', str(threads),
                    '--warmup', str(warmup), '--iters', str(iters), '--repeats', '1']
  if workers:
    cmd += ['--workers', str(workers)]
  p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
  if p.returncode != 0:
    raise RuntimeError('Pretext bench failed:\n' + p.stdout[-2000:] + p.stderr[-3000:])
  if workers:
    return last_json(p.stdout, '"bench":"train_throughput_workers"')['images_per_s_total'], None
  res = last_json(p.stdout, '"bench":"train_throughput"')['results']
  if not res:
    raise RuntimeError('Pretext bench: oneDNN unavailable (portable nd4j classifier?):\n' + p.stdout[-2000:])
  return res[0]['images_per_s_best'], res[0].get('images_per_cpu_s')


def run_pytorch(python, cfg):
  enc, size, ch, batch, threads, warmup, iters = cfg
  cmd = [python, os.path.join(ROOT, 'bench', 'reference', 'train_speed.py'), '--encoder', enc, '--size', str(size),
         '--channels', str(ch), '--batch', str(batch), '--threads', str(threads), '--warmup', str(warmup),
         '--iters', str(iters), '--repeats', '1']
  env = dict(os.environ, OMP_NUM_THREADS=str(threads))
  p = subprocess.run(cmd, capture_output=True, text=True, env=env)
  if p.returncode != 0:
    raise RuntimeError('PyTorch reference failed:\n' + p.stderr[-3000:])
  j = last_json(p.stdout, '"stack": "pytorch"')
  return j['images_per_s'], j['torch'], (j.get('images_per_cpu_s') if threads == 1 else None)


def spread(xs):
  return '%.0f-%.0f' % (min(xs), max(xs)) if max(xs) >= 10 else '%.2f-%.2f' % (min(xs), max(xs))


def main():
  ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  ap.add_argument('--python', default=os.environ.get('PRETEXT_TORCH_PYTHON', 'python3'),
                  help='python with torch (default: $PRETEXT_TORCH_PYTHON or python3)')
  ap.add_argument('--java-cmd', required=True, help='java command line up to the main class (from run-speed.sh)')
  ap.add_argument('--configs', default=','.join(DEFAULT), help='comma-separated, from: ' + ', '.join(CONFIGS))
  ap.add_argument('--rounds', type=int, default=3)
  ap.add_argument('--warmup', type=int, help="warm-up steps of every configuration (default: the configuration's)")
  ap.add_argument('--iters', type=int,
                  help="timed steps of every configuration (default: the configuration's); small values for a smoke "
                       "run only, the figures then mean nothing")
  ap.add_argument('--out', default=os.path.join(ROOT, 'bench', 'target', 'speed.json'))
  a = ap.parse_args()
  names = a.configs.split(',')
  for n in names:
    if n not in CONFIGS:
      sys.exit('--configs: unknown configuration %r; allowed: %s' % (n, ', '.join(CONFIGS)))
  if a.rounds < 1:
    sys.exit('--rounds must be >= 1, got %d' % a.rounds)
  if a.warmup is not None and a.warmup < 0:
    sys.exit('--warmup must be >= 0, got %d' % a.warmup)
  if a.iters is not None and a.iters < 1:
    sys.exit('--iters must be >= 1, got %d' % a.iters)
  java_cmd = a.java_cmd.split('\x1f')
  meta = {'cpu': cpu_model(), 'cores': os.cpu_count(), 'started': time.strftime('%Y-%m-%d %H:%M:%S'),
          'load_before': load(), 'warmup_override': a.warmup, 'iters_override': a.iters}
  print('CPU: %s, %d logical cores; load average %s' % (meta['cpu'], meta['cores'], meta['load_before']),
        flush=True)
  runs = []
  torch_version = None
  for r in range(a.rounds):
    for i, n in enumerate(names):
      cfg = CONFIGS[n][:5] + (CONFIGS[n][5] if a.warmup is None else a.warmup,
                              CONFIGS[n][6] if a.iters is None else a.iters)
      order = ['pretext', 'pytorch'] if (r + i) % 2 == 0 else ['pytorch', 'pretext']
      row = {'config': n, 'round': r + 1, 'load': load()}
      for stack in order:
        if stack == 'pretext':
          row['pretext'], row['pretext_cpu'] = run_pretext(java_cmd, cfg, WORKERS.get(n, 0))
        else:
          row['pytorch'], torch_version, row['pytorch_cpu'] = run_pytorch(a.python, cfg)
      row['ratio'] = row['pretext'] / row['pytorch']
      cpu_ratio = ''
      if row.get('pretext_cpu') and row.get('pytorch_cpu'):
        row['cpu_ratio'] = row['pretext_cpu'] / row['pytorch_cpu']
        cpu_ratio = '  per CPU-second %.1f / %.1f = %.2f' % (row['pretext_cpu'], row['pytorch_cpu'], row['cpu_ratio'])
      runs.append(row)
      print('  round %d %-24s Pretext %7.1f  PyTorch %7.1f  ratio %.2f%s  (load %s)'
            % (r + 1, n, row['pretext'], row['pytorch'], row['ratio'], cpu_ratio, row['load']), flush=True)
  meta['load_after'] = load()
  meta['torch'] = torch_version
  summary = []
  print()
  print('CPU: %s (%d logical cores). PyTorch %s. %d rounds, load average %s before, %s after.'
        % (meta['cpu'], meta['cores'], torch_version, a.rounds, meta['load_before'], meta['load_after']))
  print()
  print('| configuration | Pretext images/s, median (range) | PyTorch images/s, median (range) | ratio, median (range) '
        '| ratio of images per CPU-second (1 thread), median (range) |')
  print('|---|---|---|---|---|')
  for n in names:
    rs = [x for x in runs if x['config'] == n]
    p = [x['pretext'] for x in rs]
    t = [x['pytorch'] for x in rs]
    q = [x['ratio'] for x in rs]
    s = {'config': n, 'encoder': CONFIGS[n][0], 'image': [CONFIGS[n][2], CONFIGS[n][1], CONFIGS[n][1]],
         'batch_images': CONFIGS[n][3], 'threads': CONFIGS[n][4],
         'pretext_median': statistics.median(p), 'pytorch_median': statistics.median(t),
         'ratio_median': statistics.median(q), 'ratio_min': min(q), 'ratio_max': max(q)}
    cq = [x['cpu_ratio'] for x in rs if 'cpu_ratio' in x]
    cpu_col = '%.2f (%.2f-%.2f)' % (statistics.median(cq), min(cq), max(cq)) if cq else ''
    if cq:
      s['cpu_ratio_median'] = statistics.median(cq)
    summary.append(s)
    print('| %s | %.0f (%s) | %.0f (%s) | %.2f (%.2f-%.2f) | %s |'
          % (n, s['pretext_median'], spread(p), s['pytorch_median'], spread(t), s['ratio_median'], min(q), max(q),
             cpu_col))
  result = {'bench': 'speed_vs_pytorch', 'meta': meta, 'summary': summary, 'runs': runs}
  os.makedirs(os.path.dirname(a.out), exist_ok=True)
  with open(a.out, 'w') as f:
    json.dump(result, f, indent=1)
  print()
  print(json.dumps({'bench': 'speed_vs_pytorch', 'meta': meta, 'summary': summary}))
  print('all runs: ' + a.out)


if __name__ == '__main__':
  main()
