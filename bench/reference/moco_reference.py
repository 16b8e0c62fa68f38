"""PyTorch reference of MoCo v2 (He et al. 2020; Chen et al. 2020, "Improved baselines") on small-cnn.

Query = small-cnn + projection head 128-128-64 (as simclr_reference.py). Key = a deep copy, never trained by the
optimiser, updated after every step by an EMA of the query's parameters and BatchNorm running buffers:
k = m k + (1 - m) q (--momentum, constant). The key encoder's BatchNorm normalises in --bn-splits contiguous groups of
rows, each with its own batch statistics (split BN, like lightly's SplitBatchNorm; no shuffling: the minibatch's images
are already in random order). Symmetric InfoNCE at --temp: each of the 2N views' query against the key of the other
view of its image (positive) and the --queue-size keys of the queue (negatives); the step's 2N keys then enter the queue
first in, first out. Defaults are the issue's recipe: batch 128 images (256 views), Adam 1e-3 constant, 2 epochs,
the `simclr` view preset (RandomResizedCrop scale 0.2-1, horizontal flip, brightness/contrast jitter 0.4 always).
Saves the frozen query encoder's representations (eval mode) as OUT_train.npy and OUT_test.npy for probe.py."""
import argparse, copy, time, torch, torch.nn as nn, torch.nn.functional as F
import fmnist_ssl as fm
p = argparse.ArgumentParser()
fm.add_training_args(p, epochs=2, batch=128, lr=1e-3)
p.add_argument('--temp', type=float, default=0.2)
p.add_argument('--momentum', type=float, default=0.99, help='EMA momentum m of the key encoder')
p.add_argument('--queue-size', type=int, default=4096)
p.add_argument('--bn-splits', type=int, default=8, help="groups of the key encoder's split batch norm")
a = p.parse_args()
fm.seed_everything(a)
xtr, xte = fm.train_test()

class SplitBN(nn.BatchNorm2d):
    """BatchNorm2d that, in train mode with splits > 1, normalises each of `splits` contiguous row groups with its own
    batch statistics (no running-stat update: the key's running buffers come from the EMA)."""
    splits = 1
    def forward(self, x):  # x: (B, C, H, W), B divisible by splits
        if not self.training or self.splits == 1: return super().forward(x)
        return torch.cat([F.batch_norm(c, None, None, self.weight, self.bias, True, 0.0, self.eps)
                          for c in x.chunk(self.splits)])
enc = fm.small_cnn(SplitBN)                                                   # (B, 1, 28, 28) -> (B, 128)
head = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))                                     # -> (B, 64)
query = nn.Sequential(enc, head)
key = copy.deepcopy(query)
for m in key.modules():
    if isinstance(m, SplitBN): m.splits = a.bn_splits
for q in key.parameters(): q.requires_grad_(False)
aug = fm.view()
queue = F.normalize(torch.randn(a.queue_size, 64), dim=1)  # (K, 64), oldest first

def moco_loss(q, k, t):  # q: (2N, 64) query projections, k: (2N, 64) keys (no grad); rows [view1; view2]
    q, k = F.normalize(q, dim=1), F.normalize(k, dim=1); n = q.shape[0] // 2
    kpos = torch.cat([k[n:], k[:n]])                                  # (2N, 64): key of the other view of the same image
    logits = torch.cat([(q * kpos).sum(1, keepdim=True), q @ queue.t()], 1) / t  # (2N, 1 + K)
    return F.cross_entropy(logits, torch.zeros(2 * n, dtype=torch.long)), k

@torch.no_grad()
def ema(m):  # key = m key + (1 - m) query, parameters and floating-point BN buffers (not num_batches_tracked)
    for pk, pq in zip(key.parameters(), query.parameters()): pk.mul_(m).add_(pq, alpha=1 - m)
    for bk, bq in zip(key.buffers(), query.buffers()):
        if bk.is_floating_point(): bk.mul_(m).add_(bq, alpha=1 - m)

opt = fm.optimiser(list(query.parameters()), a)
B = a.batch; t0 = time.time(); step = 0; aug_t = 0
lr_at = fm.schedule(a, len(xtr) // B)
key.train()
for ep in range(a.epochs):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr) - B + 1, B):
        ta = time.time()
        x = xtr[perm[i:i + B]]                                                                 # (N, 1, 28, 28)
        v = torch.cat([torch.stack([aug(im) for im in x]), torch.stack([aug(im) for im in x])])  # (2N, 1, 28, 28)
        aug_t += time.time() - ta
        fm.set_lr(opt, lr_at(step))
        with torch.no_grad(): k = key(v)                                                       # (2N, 64)
        loss, kn = moco_loss(query(v), k, a.temp)
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        ema(a.momentum)
        queue = torch.cat([queue, kn])[len(kn):]                                               # FIFO: (K, 64)
        if step % 50 == 0: print(f'ep {ep} step {step} loss {loss.item():.4f} {time.time()-t0:.0f}s (aug {aug_t:.0f}s)', flush=True)
        if a.max_steps and step >= a.max_steps: break
    if a.max_steps and step >= a.max_steps: break
print(f'train seconds {time.time()-t0:.1f} aug seconds {aug_t:.1f}', flush=True)
fm.save_representations(enc, xtr, xte, a.out)
