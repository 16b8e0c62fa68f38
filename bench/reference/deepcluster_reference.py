"""PyTorch reference of DeepCluster (Caron et al. 2018) on small-cnn.

Every epoch: embed the 60,000 training images (no augmentation, encoder in eval mode), PCA to --pca-dim with whitening,
L2-normalise, k-means into --clusters groups (sklearn, one initialisation, --kmeans-iter iterations), re-seed empty
clusters by splitting a random non-empty one (the paper's rule), then re-initialise the top layer Linear(128, k) (and
its optimiser state) and train encoder + top layer for one epoch with cross-entropy on the pseudo-labels, one augmented
view per image (the `simclr` view preset), images sampled uniformly over clusters (facebookresearch/deepcluster's
UnifLabelSampler). Prints per epoch the NMI between consecutive assignments, the NMI against the true labels (monitoring
only) and the time split. --wd > 0 gives AdamW, --schedule cosine Pretext's warm-up + cosine decay. --epochs 0 saves
the randomly initialised encoder's representations. Saves the frozen encoder's representations (eval mode) as
OUT_train.npy and OUT_test.npy for probe.py. Needs Debian's python3-torch, python3-torchvision, python3-sklearn."""
import argparse, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import normalized_mutual_info_score as nmi
from threadpoolctl import threadpool_limits
import fmnist_ssl as fm
p = argparse.ArgumentParser()
fm.add_training_args(p, epochs=5, batch=256, lr=1e-3)
p.add_argument('--clusters', type=int, default=100, help='k of k-means = outputs of the top layer')
p.add_argument('--pca-dim', type=int, default=64)
p.add_argument('--kmeans-iter', type=int, default=20)
a = p.parse_args()
fm.seed_everything(a)
threadpool_limits(a.threads)  # sklearn's BLAS and OpenMP (PCA, k-means)
xtr, xte = fm.train_test()
ytr = fm.labels('train-labels-idx1-ubyte.gz')  # monitoring only (NMI against the true classes)
enc = fm.small_cnn()                           # (B, 1, 28, 28) -> (B, 128)
aug = fm.view()
K = a.clusters

def embed(x):  # (M, 1, 28, 28) -> (M, 128) numpy, encoder in eval mode
    return fm.represent(enc, x)

def cluster(f, ep):  # f: (60000, 128) -> labels (60000,), inertia, re-seeds
    z = PCA(a.pca_dim, whiten=True, random_state=a.seed).fit_transform(f)   # (60000, pca_dim)
    z /= np.linalg.norm(z, axis=1, keepdims=True); tp = time.time()
    km = KMeans(K, n_init=1, max_iter=a.kmeans_iter, random_state=a.seed + ep).fit(z)
    c, lab, rng, reseeds = km.cluster_centers_.copy(), km.labels_.copy(), np.random.RandomState(a.seed + ep), 0
    while True:  # empty cluster e: copy a random donor centroid d with +-1e-4 relative noise, split d's points between them
        cnt = np.bincount(lab, minlength=K); empty = np.flatnonzero(cnt == 0)
        if len(empty) == 0: break
        e, d = empty[0], rng.choice(np.flatnonzero(cnt >= 2)); noise = 1e-4 * rng.randn(z.shape[1])
        c[e], c[d] = c[d] * (1 + noise), c[d] * (1 - noise)
        pts = np.flatnonzero(lab == d)
        lab[pts[((z[pts] - c[e]) ** 2).sum(1) < ((z[pts] - c[d]) ** 2).sum(1)]] = e; reseeds += 1
    return lab, km.inertia_, km.n_iter_, reseeds, tp

def unif_label_sampler(lab, n=60000):  # facebookresearch/deepcluster's UnifLabelSampler -> (n,) image indices
    lists = [np.flatnonzero(lab == c) for c in range(K)]; lists = [l for l in lists if len(l) > 0]
    size = int(n / len(lists)) + 1
    res = np.concatenate([np.random.choice(l, size, replace=len(l) <= size) for l in lists])
    np.random.shuffle(res); return res[:n]  # len(res) = len(lists) * size > n

opt = fm.optimiser(enc.parameters(), a)
B = a.batch; t0 = time.time(); step = 0; prev = None
lr_at = fm.schedule(a, 60000 // B)
for ep in range(a.epochs):
    te = time.time(); f = embed(xtr); tc = time.time()
    lab, inertia, iters, reseeds, tp = cluster(f, ep); tt = time.time()
    print(f'epoch {ep} clusters: inertia {inertia:.1f} ({iters} iterations), {reseeds} empty re-seeded, '
          f'{len(np.unique(lab))} non-empty; NMI vs previous {nmi(prev, lab) if prev is not None else float("nan"):.4f}, '
          f'vs labels {nmi(ytr, lab):.4f}', flush=True)
    prev = lab
    top = nn.Linear(128, K); top.weight.data.normal_(0, 0.01); top.bias.data.zero_()  # fresh top layer every epoch
    opt_top = fm.optimiser(top.parameters(), a)                                               # and fresh optimiser state for it
    idx = torch.from_numpy(unif_label_sampler(lab)); y = torch.from_numpy(lab).long(); losses = []
    for i in range(0, len(idx) - B + 1, B):
        b = idx[i:i + B]
        v = torch.stack([aug(im) for im in xtr[b]])                                    # (B, 1, 28, 28)
        for o in (opt, opt_top):
            fm.set_lr(o, lr_at(step))
        loss = F.cross_entropy(top(enc(v)), y[b])                                      # logits (B, K)
        opt.zero_grad(); opt_top.zero_grad(); loss.backward(); opt.step(); opt_top.step(); step += 1
        losses.append(loss.item())
        if step % 50 == 0: print(f'ep {ep} step {step} loss {loss.item():.4f} {time.time()-t0:.0f}s', flush=True)
        if a.max_steps and step >= a.max_steps: break
    tend = time.time()
    print(f'epoch {ep} mean loss {np.mean(losses):.4f}; seconds: embed {tc-te:.1f} pca {tp-tc:.1f} '
          f'k-means {tt-tp:.1f} train {tend-tt:.1f}', flush=True)
print(f'train seconds {time.time()-t0:.1f}', flush=True)
fm.save_representations(enc, xtr, xte, a.out)
