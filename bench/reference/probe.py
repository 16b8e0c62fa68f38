"""Scores saved representations like `pretext evaluate`: a linear probe on standardised features
(multinomial logistic regression, C = 1e4, i.e. almost no regularisation; iterations from argv[2],
default 100,1000) and the InstDisc kNN (k = 200, cosine, weights exp(s / 0.07)).
Usage: probe.py PREFIX [ITERS]   reads PREFIX_train.npy and PREFIX_test.npy (Fashion-MNIST order)."""
import sys, gzip, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
D = '/usr/share/datasets/fashion-mnist/'
def labs(f):
    with gzip.open(D + f) as g: return np.frombuffer(g.read(), np.uint8, offset=8)
ytr, yte = labs('train-labels-idx1-ubyte.gz'), labs('t10k-labels-idx1-ubyte.gz')
pre = sys.argv[1]; iters = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else '100,1000').split(',')]
ftr, fte = np.load(pre + '_train.npy').astype(np.float64), np.load(pre + '_test.npy').astype(np.float64)
sc = StandardScaler().fit(ftr); a, b = sc.transform(ftr), sc.transform(fte)
for it in iters:
    lr = LogisticRegression(max_iter=it, C=1e4).fit(a, ytr)
    print(pre, 'linear iters', it, 'acc', (lr.predict(b) == yte).mean(), flush=True)
na = ftr / np.linalg.norm(ftr, axis=1, keepdims=True); nb = fte / np.linalg.norm(fte, axis=1, keepdims=True)
correct = 0
for i in range(0, 10000, 1000):
    s = nb[i:i+1000] @ na.T; idx = np.argpartition(-s, 200, axis=1)[:, :200]
    w = np.exp(np.take_along_axis(s, idx, 1) / 0.07); votes = np.zeros((len(idx), 10))
    for c in range(10): votes[:, c] = (w * (ytr[idx] == c)).sum(1)
    correct += (votes.argmax(1) == yte[i:i+1000]).sum()
print(pre, 'knn acc', correct / 10000)
