"""What the Fashion-MNIST references share, once: the data (Debian's dataset-fashion-mnist, pixels / 255, no mean/std
normalisation), Pretext's `small-cnn` (conv3x3 1->32 s1, 32->64 s2, 64->128 s2, each bias-free + BatchNorm + ReLU,
global average pool -> 128), the `simclr` view preset (RandomResizedCrop scale 0.2-1, horizontal flip,
brightness/contrast jitter 0.4), the optimiser options and Pretext's schedule (linear warm-up, cosine decay to 0),
and saving the frozen encoder's representations for probe.py."""
import gzip, math, numpy as np, torch, torch.nn as nn
import torchvision.transforms as T

D = '/usr/share/datasets/fashion-mnist/'


def images(f):  # (M, 1, 28, 28) uint8
    with gzip.open(D + f) as g: return np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)


def labels(f):  # (M,) uint8
    with gzip.open(D + f) as g: return np.frombuffer(g.read(), np.uint8, offset=8)


def train_test():  # float tensors in [0, 1]: (60000, 1, 28, 28), (10000, 1, 28, 28)
    return (torch.tensor(images('train-images-idx3-ubyte.gz')).float() / 255,
            torch.tensor(images('t10k-images-idx3-ubyte.gz')).float() / 255)


def small_cnn(norm=nn.BatchNorm2d):  # (B, 1, 28, 28) -> (B, 128)
    def cbr(i, o, s): return [nn.Conv2d(i, o, 3, s, 1, bias=False), norm(o), nn.ReLU()]
    return nn.Sequential(*cbr(1, 32, 1), *cbr(32, 64, 2), *cbr(64, 128, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten())


def view(crop_min=0.2, jitter=0.4, jitter_p=None):
    """One augmented view of a (1, 28, 28) image. jitter_p None applies the jitter always without drawing for it (the
    MoCo and DeepCluster references); a number wraps it in RandomApply (the SimCLR reference's --jitter-p)."""
    jit = T.ColorJitter(jitter, jitter)
    return T.Compose([T.RandomResizedCrop(28, scale=(crop_min, 1.0)), T.RandomHorizontalFlip(),
                      jit if jitter_p is None else T.RandomApply([jit], p=jitter_p)])


def add_training_args(p, epochs, batch, lr):
    """--epochs, --threads, --out, --seed, --batch, --lr, --wd, --schedule, --warmup-epochs, --max-steps."""
    p.add_argument('--epochs', type=int, default=epochs)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default='/tmp/ref', help='prefix of the saved representations')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--batch', type=int, default=batch)
    p.add_argument('--lr', type=float, default=lr)
    p.add_argument('--wd', type=float, default=0.0, help='decoupled weight decay (AdamW) if > 0, else plain Adam')
    p.add_argument('--schedule', choices=['constant', 'cosine'], default='constant',
                   help="cosine: linear warm-up for --warmup-epochs, then cosine decay to 0 (Pretext's schedule)")
    p.add_argument('--warmup-epochs', type=float, default=0.0)
    p.add_argument('--max-steps', type=int, default=0, help='stop after this many steps (0: no limit)')


def seed_everything(a):
    torch.manual_seed(a.seed); np.random.seed(a.seed); torch.set_num_threads(a.threads)


def optimiser(params, a):
    return torch.optim.AdamW(params, lr=a.lr, weight_decay=a.wd) if a.wd > 0 else torch.optim.Adam(params, lr=a.lr)


def schedule(a, steps_per_epoch):  # lr_at(s): the learning rate of step s (0-based), Pretext's warm-up + cosine
    total = a.epochs * steps_per_epoch; warm = int(a.warmup_epochs * steps_per_epoch)
    def lr_at(s):
        if a.schedule == 'constant': return a.lr
        if s < warm: return a.lr * (s + 1) / warm
        return 0.5 * a.lr * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm)))
    return lr_at


def set_lr(opt, lr):
    for g in opt.param_groups: g['lr'] = lr


def represent(enc, x, batch=500):  # (M, 1, 28, 28) -> (M, 128) numpy, encoder in eval mode
    enc.eval()
    with torch.no_grad(): f = torch.cat([enc(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy()
    enc.train(); return f


def save_representations(enc, xtr, xte, out):  # OUT_train.npy, OUT_test.npy for probe.py, OUT_enc.pt
    np.save(out + '_train.npy', represent(enc, xtr)); np.save(out + '_test.npy', represent(enc, xte))
    torch.save(enc.state_dict(), out + '_enc.pt')
