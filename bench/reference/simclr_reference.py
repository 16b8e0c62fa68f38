"""PyTorch reference of the issue's SimCLR recipe for the comparison in the README.

small-cnn, projection head 128-128-64, NT-Xent; defaults: batch 256, temperature 0.5, Adam 1e-3,
RandomResizedCrop scale 0.2-1, horizontal flip, brightness/contrast jitter 0.4 always applied.
Trains for --epochs on Fashion-MNIST's 60,000 training images (Debian's dataset-fashion-mnist),
then saves the frozen encoder's representations of the train and test images as OUT_train.npy and
OUT_test.npy for probe.py. --schedule cosine --warmup-epochs W --wd D gives Pretext's optimiser (AdamW, linear
warm-up, cosine decay). Needs Debian's python3-torch and python3-torchvision; no downloads."""
import argparse, time, torch, torch.nn as nn, torch.nn.functional as F
import fmnist_ssl as fm
p = argparse.ArgumentParser()
fm.add_training_args(p, epochs=3, batch=256, lr=1e-3)
p.add_argument('--temp', type=float, default=0.5)
p.add_argument('--crop-min', type=float, default=0.2)
p.add_argument('--jitter', type=float, default=0.4, help='brightness and contrast strength')
p.add_argument('--jitter-p', type=float, default=1.0, help='probability of applying the jitter')
a = p.parse_args()
fm.seed_everything(a)
xtr, xte = fm.train_test()
enc = fm.small_cnn()                                                          # (B, 1, 28, 28) -> (B, 128)
head = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))      # -> (B, 64)
aug = fm.view(a.crop_min, a.jitter, a.jitter_p)
def ntxent(z, t=0.5):
    z = F.normalize(z, dim=1); n = z.shape[0] // 2
    s = z @ z.t() / t; s.fill_diagonal_(float('-inf'))
    tgt = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(s, tgt)
opt = fm.optimiser(list(enc.parameters()) + list(head.parameters()), a)
B = a.batch; t0 = time.time(); step = 0; aug_t = 0
lr_at = fm.schedule(a, len(xtr) // B)
for ep in range(a.epochs):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr) - B + 1, B):
        ta = time.time()
        x = xtr[perm[i:i + B]]
        v = torch.cat([torch.stack([aug(im) for im in x]), torch.stack([aug(im) for im in x])])
        aug_t += time.time() - ta
        fm.set_lr(opt, lr_at(step))
        loss = ntxent(head(enc(v)), a.temp)
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 50 == 0: print(f'ep {ep} step {step} loss {loss.item():.4f} {time.time()-t0:.0f}s (aug {aug_t:.0f}s)', flush=True)
        if a.max_steps and step >= a.max_steps: break
print(f'train seconds {time.time()-t0:.1f} aug seconds {aug_t:.1f}', flush=True)
fm.save_representations(enc, xtr, xte, a.out)
