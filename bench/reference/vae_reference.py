"""PyTorch reference of the VAE (Kingma and Welling 2014) as Pretext's `vae` trains it on small-cnn.

The encoder's 128-wide representation -> Linear mean and log-variance of a --latent code; z = mean + exp(lv/2) eps;
decoder Linear(L, 64*7*7) + ReLU -> ConvTranspose2d(64, 32, 4, 2, 1) + ReLU -> ConvTranspose2d(32, 1, 4, 2, 1) ->
sigmoid (Pretext's ConvDecoder); loss binary cross-entropy summed over pixels + beta KL, the KL weight rising linearly
over --kl-warmup-epochs. One clean view per image (whole image, horizontal flip). Pretext's optimiser preset (AdamW 4e-3,
weight decay 1e-4, 0.2 epoch of warm-up, cosine), batch 256 (2 workers x 128 in Pretext). Prints per epoch the test
set's negative ELBO per image (one noise sample, eval mode) and the mean squared error per pixel of the decoded means;
saves the frozen encoder's representations as OUT_train.npy and OUT_test.npy for probe.py. Needs Debian's
python3-torch and python3-torchvision."""
import argparse, time, torch, torch.nn as nn, torch.nn.functional as F
import torchvision.transforms as T
import fmnist_ssl as fm
p = argparse.ArgumentParser()
fm.add_training_args(p, epochs=4, batch=256, lr=4e-3)
p.add_argument('--latent', type=int, default=32)
p.add_argument('--beta', type=float, default=1.0)
p.add_argument('--kl-warmup-epochs', type=float, default=1.0)
p.set_defaults(wd=1e-4, schedule='cosine', warmup_epochs=0.2)
a = p.parse_args()
fm.seed_everything(a)
xtr, xte = fm.train_test()
L = a.latent


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = fm.small_cnn()
        self.mean, self.logvar = nn.Linear(128, L), nn.Linear(128, L)
        self.dense = nn.Linear(L, 64 * 7 * 7)
        self.up1, self.up2 = nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def decode(self, z):  # (B, L) -> (B, 1, 28, 28) logits
        return self.up2(F.relu(self.up1(F.relu(self.dense(z)).view(-1, 64, 7, 7))))

    def forward(self, x, eps):
        h = self.enc(x); mu, lv = self.mean(h), self.logvar(h)
        return self.decode(mu + torch.exp(lv / 2) * eps), mu, lv


def losses(model, x, eps):  # per-image BCE (summed over pixels) and KL, (B,) each
    logits, mu, lv = model(x, eps)
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction='none').flatten(1).sum(1)
    return bce, 0.5 * (lv.exp() + mu * mu - 1 - lv).sum(1), logits, mu


def test_scores(model):  # negative ELBO per image (one sample), MSE per pixel of the decoded mean
    model.eval(); g = torch.Generator().manual_seed(1234); elbo = mse = 0.0
    with torch.no_grad():
        for i in range(0, len(xte), 500):
            x = xte[i:i + 500]
            bce, kl, _, mu = losses(model, x, torch.randn(len(x), L, generator=g))
            elbo += (bce + kl).sum().item()
            mse += ((torch.sigmoid(model.decode(mu)) - x) ** 2).sum().item()
    model.train(); return elbo / len(xte), mse / xte.numel()


model = Vae()
opt = fm.optimiser(model.parameters(), a)
flip = T.RandomHorizontalFlip()
steps = len(xtr) // a.batch
lr_at = fm.schedule(a, steps)
warm = a.kl_warmup_epochs * steps
step = 0
for ep in range(a.epochs):
    t0, perm, total = time.time(), torch.randperm(len(xtr)), 0.0
    for s in range(steps):
        x = torch.stack([flip(xtr[i]) for i in perm[s * a.batch:(s + 1) * a.batch]])
        w = a.beta if warm <= 0 else a.beta * min(1.0, (step + 1) / warm)
        bce, kl, _, _ = losses(model, x, torch.randn(len(x), L))
        loss = (bce + w * kl).mean()
        fm.set_lr(opt, lr_at(step)); opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item(); step += 1
        if a.max_steps and step >= a.max_steps: break
    e, m = test_scores(model)
    print(f'epoch {ep + 1}: train loss {total / (s + 1):.2f}, test negative ELBO {e:.2f} nats, test MSE {m:.5f}, '
          f'{(s + 1) * a.batch / (time.time() - t0):.0f} images/s', flush=True)
    if a.max_steps and step >= a.max_steps: break
fm.save_representations(model.enc, xtr, xte, a.out)
