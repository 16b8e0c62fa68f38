"""Per-operation profile of Pretext's training step from a JFR recording of TrainThroughputBench (docs/performance.md).

  java -XX:StartFlightRecording=filename=r.jfr,settings=profile ... io.pretext.bench.TrainThroughputBench ...
  python3 bench/jfr_profile.py r.jfr [--thread main] [--skip-seconds S]

Reads jdk.ExecutionSample (Java code, every 10 ms) and jdk.NativeMethodSample (native code, every 20 ms, so weighted
2) of the training thread and attributes each sample to the innermost DL4J / Pretext frame that names an operation:
convolution forward / backward (oneDNN helper), batch norm (+ fused ReLU) forward / backward, separate ReLU
layers, pooling, the projection head and loss, the optimiser, everything else. --skip-seconds leaves out the
first seconds of fitting (warm-up: workspaces grow then). Prints shares and a JSON line.
"""
import json
import subprocess
import sys
from collections import Counter

RULES = [  # (substring of a frame's method, category); the first frame from the top of the stack that matches wins
  ('MKLDNNConvHelper.backpropGradient', 'conv backward'),
  ('MKLDNNConvHelper.preOutput', 'conv forward'),
  ('ConvolutionLayer.backpropGradient', 'conv backward'),
  ('ConvolutionLayer.preOutput', 'conv forward'),
  ('FusedBatchNormLayer.backpropGradient', 'batch norm + ReLU backward'),
  ('FusedBatchNormLayer.activate', 'batch norm + ReLU forward'),
  ('normalization.BatchNormalization.backpropGradient', 'batch norm backward'),
  ('normalization.BatchNormalization.preOutput', 'batch norm forward'),
  ('normalization.BatchNormalization.activate', 'batch norm forward'),
  ('GlobalPoolingLayer', 'pooling'),
  ('SubsamplingLayer', 'pooling'),
  ('NtXentLoss', 'head + loss'),
  ('LossLayer', 'head + loss'),
  ('DenseLayer', 'head + loss'),
  ('ActivationLayer', 'separate ReLU layers'),
  ('ElementWiseVertex', 'residual add'),
  ('ChannelsLastVertex', 'NCHW to NHWC'),
  ('BaseMultiLayerUpdater.update', 'optimizer'),
]


def seconds_between(a, b):
  from datetime import datetime
  f = lambda s: datetime.fromisoformat(s.rstrip('Z')[:26])
  return (f(b) - f(a)).total_seconds()


def main():
  path = sys.argv[1]
  thread = sys.argv[sys.argv.index('--thread') + 1] if '--thread' in sys.argv else 'main'
  skip = float(sys.argv[sys.argv.index('--skip-seconds') + 1]) if '--skip-seconds' in sys.argv else 0.0
  out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample',
                        '--stack-depth', '64', path], capture_output=True, text=True, check=True).stdout
  events = json.loads(out)['recording']['events']
  counts = Counter()
  inside_fit = 0
  first = None
  for e in sorted(events, key=lambda e: e['values']['startTime']):
    v = e['values']
    t = v.get('sampledThread') or {}
    if t.get('javaName') != thread:
      continue
    frames = ['%s.%s' % (f['method']['type']['name'], f['method']['name']) for f in v['stackTrace']['frames']]
    if not any('ComputationGraph.fit' in f for f in frames):
      continue
    t = e['values']['startTime']
    first = first or t
    if seconds_between(first, t) < skip:  # warm-up fits: workspaces still growing
      continue
    w = 2 if e['type'] == 'jdk.NativeMethodSample' else 1
    inside_fit += w
    cat = 'other (graph bookkeeping, workspaces, ...)'
    for f in frames:
      hit = next((c for key, c in RULES if key in f), None)
      if hit:
        cat = hit
        break
    counts[cat] += w
  total = sum(counts.values())
  print('%d weighted samples inside ComputationGraph.fit on thread %s' % (total, thread))
  for c, n in counts.most_common():
    print('  %-45s %5.1f%%' % (c, 100.0 * n / total))
  print(json.dumps({'jfr_profile': {c: round(100.0 * n / total, 1) for c, n in counts.most_common()},
                    'samples': total}))


if __name__ == '__main__':
  main()
