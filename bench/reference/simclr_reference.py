"""PyTorch reference of the issue's SimCLR recipe for the comparison in the README.

small-cnn, projection head 128-128-64, NT-Xent; defaults: batch 256, temperature 0.5, Adam 1e-3,
RandomResizedCrop scale 0.2-1, horizontal flip, brightness/contrast jitter 0.4 always applied.
Trains for --epochs on Fashion-MNIST's 60,000 training images (Debian's dataset-fashion-mnist),
then saves the frozen encoder's representations of the train and test images as OUT_train.npy and
OUT_test.npy for probe.py. --schedule cosine --warmup-epochs W --wd D gives Pretext's optimiser (AdamW, linear
warm-up, cosine decay). Needs Debian's python3-torch and python3-torchvision; no downloads."""
import argparse, gzip, math, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import torchvision.transforms as T
p = argparse.ArgumentParser()
p.add_argument('--epochs', type=int, default=3)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--out', default='/tmp/pt', help='prefix of the saved representations')
p.add_argument('--seed', type=int, default=0)
p.add_argument('--batch', type=int, default=256)
p.add_argument('--lr', type=float, default=1e-3)
p.add_argument('--temp', type=float, default=0.5)
p.add_argument('--crop-min', type=float, default=0.2)
p.add_argument('--jitter', type=float, default=0.4, help='brightness and contrast strength')
p.add_argument('--jitter-p', type=float, default=1.0, help='probability of applying the jitter')
p.add_argument('--max-steps', type=int, default=0, help='stop after this many steps (0: no limit)')
p.add_argument('--wd', type=float, default=0.0, help='decoupled weight decay (AdamW) if > 0, else plain Adam')
p.add_argument('--schedule', choices=['constant', 'cosine'], default='constant',
               help="cosine: linear warm-up for --warmup-epochs, then cosine decay to 0 (Pretext's schedule)")
p.add_argument('--warmup-epochs', type=float, default=0.0)
a = p.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)
D = '/usr/share/datasets/fashion-mnist/'
def imgs(f):
    with gzip.open(D + f) as g: return np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
def labs(f):
    with gzip.open(D + f) as g: return np.frombuffer(g.read(), np.uint8, offset=8)
xtr = torch.tensor(imgs('train-images-idx3-ubyte.gz')).float() / 255; xte = torch.tensor(imgs('t10k-images-idx3-ubyte.gz')).float() / 255
def cbr(i, o, s): return [nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
enc = nn.Sequential(*cbr(1, 32, 1), *cbr(32, 64, 2), *cbr(64, 128, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten())
head = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))
aug = T.Compose([T.RandomResizedCrop(28, scale=(a.crop_min, 1.0)), T.RandomHorizontalFlip(),
                 T.RandomApply([T.ColorJitter(a.jitter, a.jitter)], p=a.jitter_p)])
def ntxent(z, t=0.5):
    z = F.normalize(z, dim=1); n = z.shape[0] // 2
    s = z @ z.t() / t; s.fill_diagonal_(float('-inf'))
    tgt = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(s, tgt)
params = list(enc.parameters()) + list(head.parameters())
opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=a.wd) if a.wd > 0 else torch.optim.Adam(params, lr=a.lr)
B = a.batch; t0 = time.time(); step = 0; aug_t = 0
steps_per_epoch = len(xtr) // B; total = a.epochs * steps_per_epoch; warm = int(a.warmup_epochs * steps_per_epoch)
def lr_at(s):  # s = index of the step about to run
    if a.schedule == 'constant': return a.lr
    if s < warm: return a.lr * (s + 1) / warm
    return 0.5 * a.lr * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm)))
for ep in range(a.epochs):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr) - B + 1, B):
        ta = time.time()
        x = xtr[perm[i:i + B]]
        v = torch.cat([torch.stack([aug(im) for im in x]), torch.stack([aug(im) for im in x])])
        aug_t += time.time() - ta
        for g in opt.param_groups: g['lr'] = lr_at(step)
        loss = ntxent(head(enc(v)), a.temp)
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 50 == 0: print(f'ep {ep} step {step} loss {loss.item():.4f} {time.time()-t0:.0f}s (aug {aug_t:.0f}s)', flush=True)
        if a.max_steps and step >= a.max_steps: break
print(f'train seconds {time.time()-t0:.1f} aug seconds {aug_t:.1f}', flush=True)
enc.eval()
with torch.no_grad():
    ftr = torch.cat([enc(xtr[i:i + 1000]) for i in range(0, 60000, 1000)]).numpy()
    fte = torch.cat([enc(xte[i:i + 1000]) for i in range(0, 10000, 1000)]).numpy()
np.save(a.out + '_train.npy', ftr); np.save(a.out + '_test.npy', fte)
torch.save(enc.state_dict(), a.out + '_enc.pt')
