"""PyTorch speed reference for Pretext's training-throughput comparison (bench/run-speed.sh).

Trains SimCLR exactly as Pretext's TrainThroughputBench does: the encoder (small-cnn, resnet20, resnet20-wide or
resnet18-small, the same layers, shapes and padding as Pretext's), the projection head rep -> 128 ReLU -> 64, NT-Xent (temperature 0.5) and
AdamW (lr 1e-3, weight decay 1e-4), on views made beforehand (uniform random), so augmentation and data loading are
excluded. One step = forward of 2B views, backward, optimiser step. Prints one JSON line per measurement.

Modes:
  python train_speed.py --encoder small-cnn --batch 128 --threads 1 --iters 5 --repeats 1
      one timed run of --iters steps after --warmup steps, images/s (1 image = 2 views)
  python train_speed.py ... --profile
      torch.profiler over --iters steps: self CPU time per operator, grouped into the categories of
      docs/performance.md (conv forward / backward, batch norm, ReLU, pooling, head, loss, optimiser, other)

Needs only torch (and numpy, which torch pulls in): PyTorch 2.x CPU wheel or Debian's python3-torch.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('--encoder', choices=['small-cnn', 'resnet20', 'resnet20-wide', 'resnet18-small'], default='small-cnn')
p.add_argument('--size', type=int, default=28)
p.add_argument('--channels', type=int, default=1)
p.add_argument('--batch', type=int, default=128, help='images per step (2x views)')
p.add_argument('--threads', type=int, default=1)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--iters', type=int, default=5)
p.add_argument('--repeats', type=int, default=1)
p.add_argument('--profile', action='store_true')
p.add_argument('--seed', type=int, default=0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def cbr(i, o, s):
  return [nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class Basic(nn.Module):
  """Post-activation ResNet basic block with a 1x1 projection shortcut when the shape changes (Pretext's ResNet)."""

  def __init__(self, i, o, s):
    super().__init__()
    self.c1 = nn.Conv2d(i, o, 3, s, 1, bias=False)
    self.b1 = nn.BatchNorm2d(o)
    self.c2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
    self.b2 = nn.BatchNorm2d(o)
    self.down = (nn.Sequential(nn.Conv2d(i, o, 1, s, 0, bias=False), nn.BatchNorm2d(o))
                 if s != 1 or i != o else nn.Identity())

  def forward(self, x):
    y = F.relu(self.b1(self.c1(x)), inplace=True)
    return F.relu(self.b2(self.c2(y)) + self.down(x), inplace=True)


# Pretext's ResNetArchitecture factories: (blocks per stage, stage widths); all BasicBlock with the 3x3 stride-1 stem
# of the first stage's width, stride 2 at the first block of every later stage
RESNETS = {
  'resnet20': ([3, 3, 3], [16, 32, 64]),           # CIFAR ResNet-20, He et al. 2016 section 4.2
  'resnet20-wide': ([3, 3, 3], [64, 128, 256]),    # the same, four times as wide
  'resnet18-small': ([2, 2, 2, 2], [64, 128, 256, 512]),
}


def encoder(name, c):
  if name == 'small-cnn':
    return nn.Sequential(*cbr(c, 32, 1), *cbr(32, 64, 2), *cbr(64, 128, 2), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten()), 128
  blocks, widths = RESNETS[name]
  layers = cbr(c, widths[0], 1)
  i = widths[0]
  for s, w in enumerate(widths):
    for b in range(blocks[s]):
      layers.append(Basic(i, w, 2 if s > 0 and b == 0 else 1))
      i = w
  return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten()), widths[-1]


enc, rep = encoder(a.encoder, a.channels)
head = nn.Sequential(nn.Linear(rep, 128), nn.ReLU(inplace=True), nn.Linear(128, 64))


def ntxent(z, t=0.5):
  z = F.normalize(z, dim=1)
  n = z.shape[0] // 2
  s = z @ z.t() / t
  s.fill_diagonal_(float('-inf'))
  tgt = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
  return F.cross_entropy(s, tgt)


opt = torch.optim.AdamW(list(enc.parameters()) + list(head.parameters()), lr=1e-3, weight_decay=1e-4)
views = torch.rand(2 * a.batch, a.channels, a.size, a.size)


def step():
  with torch.profiler.record_function('pretext::forward'):
    with torch.profiler.record_function('pretext::encoder'):
      r = enc(views)
    with torch.profiler.record_function('pretext::head'):
      z = head(r)
    with torch.profiler.record_function('pretext::loss'):
      loss = ntxent(z)
  with torch.profiler.record_function('pretext::zero_grad'):
    opt.zero_grad(set_to_none=True)
  loss.backward()
  with torch.profiler.record_function('pretext::optimizer'):
    opt.step()
  return loss


for _ in range(a.warmup):
  step()

base = {'bench': 'train_throughput', 'stack': 'pytorch', 'torch': torch.__version__, 'encoder': a.encoder,
        'image': [a.channels, a.size, a.size], 'batch_images': a.batch, 'threads': a.threads,
        # trainable parameters (BN: weight and bias; DL4J's numParams() also counts BN's running mean and variance)
        'encoder_params': sum(t.numel() for t in enc.parameters())}

if not a.profile:
  for _ in range(a.repeats):
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(a.iters):
      step()
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    # images per CPU-second of the process (all its threads): with one thread, comparable to Pretext's images per
    # CPU-second of its training thread, and like it nearly independent of other processes' load
    print(json.dumps(dict(base, iters=a.iters, seconds=round(dt, 4), images_per_s=round(a.iters * a.batch / dt, 1),
                          images_per_cpu_s=round(a.iters * a.batch / cpu, 1))), flush=True)
else:
  from torch.profiler import profile, ProfilerActivity
  t0 = time.perf_counter()
  with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(a.iters):
      step()
  wall = time.perf_counter() - t0

  # Self CPU time per operator, into docs/performance.md's categories. Each event's self time goes to the category of
  # the nearest enclosing event that names one: an autograd node for backward work ("ConvolutionBackward0",
  # "NativeBatchNormBackward0", "ReluBackward0"), the ATen op for forward work, the script's record_function scopes
  # for head, loss and optimiser. (The convolution backward's own "contiguous()" copy of the incoming gradient,
  # aten::copy_, lands in "conv backward" that way.)
  RULES = [('convolutionbackward', 'conv backward'), ('convolution_backward', 'conv backward'),
           ('nativebatchnormbackward', 'batch norm bwd'), ('batch_norm_backward', 'batch norm bwd'),
           ('relubackward', 'relu bwd'), ('threshold_backward', 'relu bwd'),
           ('meanbackward', 'pooling'), ('adaptive_avg_pool', 'pooling'), ('aten::mean', 'pooling'),
           ('mkldnn_convolution', 'conv forward'), ('aten::convolution', 'conv forward'),
           ('native_batch_norm', 'batch norm fwd'), ('aten::batch_norm', 'batch norm fwd'),
           ('aten::relu', 'relu fwd'), ('aten::clamp_min_', 'relu fwd'),
           ('pretext::head', 'head + loss'), ('pretext::loss', 'head + loss'), ('addmmbackward', 'head + loss'),
           ('mmbackward', 'head + loss'), ('logsoftmaxbackward', 'head + loss'), ('nlllossbackward', 'head + loss'),
           ('divbackward', 'head + loss'), ('normbackward', 'head + loss'), ('clampminbackward', 'head + loss'),
           ('pretext::optimizer', 'optimizer'), ('optimizer.step', 'optimizer'), ('pretext::zero_grad', 'optimizer')]

  def category(event):
    e = event
    while e is not None:
      n = e.name.lower()
      for key, c in RULES:
        if key in n:
          return c
      e = e.cpu_parent
    return 'other'

  totals = {}
  by_op = {}
  for e in prof.events():
    if e.name.startswith('pretext::') or e.name.startswith('ProfilerStep'):
      continue
    c = category(e)
    totals[c] = totals.get(c, 0) + e.self_cpu_time_total
    by_op[(e.name, c)] = by_op.get((e.name, c), 0) + e.self_cpu_time_total
  rows = sorted(((us, k, c) for (k, c), us in by_op.items()), reverse=True)
  total = sum(totals.values())
  print(json.dumps(dict(base, mode='profile', iters=a.iters, wall_s=round(wall, 3),
                        images_per_s=round(a.iters * a.batch / wall, 1),
                        categories_ms_per_step={k: round(v / 1e3 / a.iters, 2) for k, v in
                                                sorted(totals.items(), key=lambda kv: -kv[1])},
                        top_ops_ms_per_step=[[k, c, round(us / 1e3 / a.iters, 2)] for us, k, c in rows[:25]])),
        flush=True)
