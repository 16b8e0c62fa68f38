"""Helpers shared by the notebooks: run bin/pretext, make small Fashion-MNIST corpora, read a run's files.

The notebooks only call the CLI and read what it writes (JSON, JSON lines, PNG); nothing here talks to the JVM.
Settings come from the environment so that the test that executes the notebooks can point them elsewhere:

  PRETEXT_HOME            the repository (default: the parent of this directory)
  PRETEXT_NOTEBOOK_WORK   where the notebooks write (default: PRETEXT_HOME/work/notebooks)
  PRETEXT_FASHION_MNIST   Fashion-MNIST's IDX files (default: /usr/share/datasets/fashion-mnist,
                          Debian's dataset-fashion-mnist)
  PRETEXT_WORDNET         WordNet's database (default: /usr/share/wordnet, Debian's wordnet-base)
"""

import gzip
import json
import os
import shutil
import struct
import subprocess
import time
from pathlib import Path

import numpy as np

HOME = Path(os.environ.get("PRETEXT_HOME", Path(__file__).resolve().parent.parent)).resolve()
WORK = Path(os.environ.get("PRETEXT_NOTEBOOK_WORK", HOME / "work" / "notebooks")).resolve()
FASHION_MNIST = Path(os.environ.get("PRETEXT_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))
WORDNET = Path(os.environ.get("PRETEXT_WORDNET", "/usr/share/wordnet"))
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def pretext(*args, quiet=True):
    """Runs `bin/pretext ARGS...` and returns the JSON line it ends with (a dict).

    Progress (stderr) goes to WORK/logs/<command>.log, each call headed by its command line and closed by its wall
    time; on failure the tail of the log is raised with the exit code.
    """
    WORK.mkdir(parents=True, exist_ok=True)
    logs = WORK / "logs"
    logs.mkdir(exist_ok=True)
    log = logs / f"{args[0]}.log"
    start = time.time()
    with open(log, "a") as err:
        err.write(f"\n$ bin/pretext {' '.join(map(str, args))}\n")
        err.flush()
        done = subprocess.run([str(HOME / "bin" / "pretext"), *map(str, args)], stdout=subprocess.PIPE, stderr=err, text=True)
        err.write(f"# exit {done.returncode} after {time.time() - start:.1f} s\n")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = log.read_text().splitlines()[-30:]
        raise RuntimeError(f"bin/pretext {args[0]} exited {done.returncode}:\n" + "\n".join(tail))
    result = json.loads(lines[-1])
    if not quiet:
        print(f"bin/pretext {args[0]}: {time.time() - start:.0f} s")
    return result


def read_idx(path):
    """An IDX file (gzipped or not) as a numpy array: images [N, H, W] uint8, or labels [N]."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x0803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows, cols)
    if magic == 0x0801:
        return np.frombuffer(data, np.uint8, offset=8)
    raise ValueError(f"{path}: not an IDX image or label file (magic {magic:#x})")


def write_idx(path, array):
    """Writes uint8 images [N, H, W] or labels [N] as an uncompressed IDX file."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    with open(path, "wb") as f:
        if array.ndim == 3:
            f.write(struct.pack(">IIII", 0x0803, *array.shape))
        else:
            f.write(struct.pack(">II", 0x0801, array.shape[0]))
        f.write(array.tobytes())


def fashion_mnist(split="train"):
    """Fashion-MNIST images [N, 28, 28] and labels [N] of `train` (60,000) or `test` (10,000)."""
    prefix = "train" if split == "train" else "t10k"
    images = FASHION_MNIST / f"{prefix}-images-idx3-ubyte.gz"
    if not images.exists():
        raise FileNotFoundError(f"{images} is missing: apt-get install dataset-fashion-mnist, or set PRETEXT_FASHION_MNIST")
    return read_idx(images), read_idx(FASHION_MNIST / f"{prefix}-labels-idx1-ubyte.gz")


def small_fashion_mnist(train=6000, test=2000):
    """Prepared datasets of the first `train` training and `test` test images (reused when complete):
    an unlabeled corpus to pretrain on, and labeled copies for evaluation. Returns their paths by name."""
    out = {"corpus": WORK / "fm-corpus", "train": WORK / "fm-train-labeled", "test": WORK / "fm-test-labeled"}
    idx = WORK / "fm-idx"
    idx.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", train), ("test", test)):
        images, labels = fashion_mnist(split)
        write_idx(idx / f"{split}-{n}-images-idx3-ubyte", images[:n])
        write_idx(idx / f"{split}-{n}-labels-idx1-ubyte", labels[:n])
    jobs = {
        "corpus": ["--input", idx / f"train-{train}-images-idx3-ubyte"],
        "train": ["--input", idx / f"train-{train}-images-idx3-ubyte", "--labels", idx / f"train-{train}-labels-idx1-ubyte"],
        "test": ["--input", idx / f"test-{test}-images-idx3-ubyte", "--labels", idx / f"test-{test}-labels-idx1-ubyte"],
    }
    for name, args in jobs.items():
        if not (out[name] / "_SUCCESS").exists():
            pretext("prepare-images", *args, "--output", out[name], "--shards", "4", "--overwrite")
    return out


# The notebooks' pretraining budget: two epochs over 6,000 images in 46 rounds of 2 workers x 64 images x 2 minibatches.
PRETRAIN = ["--epochs", "2", "--batch-size-per-worker", "64", "--averaging-frequency", "2", "--checkpoint-every", "23"]


def pretrained_run(data):
    """The notebooks' SimCLR run on `data` (from small_fashion_mnist), trained with PRETRAIN unless it is complete."""
    return trained_run("run", data)


def trained_run(name, data, *options):
    """WORK/name: a run pretrained on `data` (from small_fashion_mnist) with PRETRAIN and `options` (e.g. `--method vae`),
    monitored on the test images; trained unless it is complete."""
    run = WORK / name
    info = run / "run.json"
    if info.exists() and json.loads(info.read_text()).get("complete"):
        return run
    if run.exists():
        shutil.rmtree(run)
    pretext("pretrain", "--data", data["corpus"], "--run", run, *PRETRAIN, *options, "--monitor", data["test"])
    return run


# The text notebooks' masked-LM budget (notebook 4): three epochs of bert-tiny over 8,000 glosses.
TEXT_PRETRAIN = ["--method", "mlm", "--epochs", "3", "--batch-size-per-worker", "64", "--averaging-frequency", "4",
                 "--checkpoint-every", "100"]


def text_run():
    """Notebook 4's masked-LM run and its labelled glosses (WORK/text-run, WORK/text-train, WORK/text-test), made here
    from the glosses alone (without notebook 4's broken files) when notebook 4 has not run. Returns the three paths."""
    run, train, test = WORK / "text-run", WORK / "text-train", WORK / "text-test"
    if not (train / "_SUCCESS").exists() or not (test / "_SUCCESS").exists():
        glosses = wordnet_glosses(train=8000, test=2000)
        pretext("prepare-text", "--input", glosses["train"], "--output", train, "--label-field", "label", "--vocab-size", "4000",
                "--lowercase", "--seq-len", "48", "--shards", "4", "--overwrite")
        pretext("prepare-text", "--input", glosses["test"], "--output", test, "--label-field", "label", "--vocab", train / "vocab.txt",
                "--lowercase", "--seq-len", "48", "--shards", "2", "--overwrite")
    info = run / "run.json"
    if not (info.exists() and json.loads(info.read_text()).get("complete")):
        pretext("pretrain", "--data", train, "--run", run, *TEXT_PRETRAIN, "--monitor", test, "--resume", "auto")
    return run, train, test


def finetune(name, model, train, test, *options):
    """WORK/finetune/name: `pretext finetune` of `model` on `train`, tested on `test`, unless it is complete; returns its
    final JSON line (the last epoch's and the validation-selected epoch's accuracies) and its per-epoch scores."""
    run = WORK / "finetune" / name
    result = run.parent / (run.name + ".json")
    if not result.exists():
        if run.exists():
            shutil.rmtree(run)
        result.parent.mkdir(parents=True, exist_ok=True)
        result.write_text(json.dumps(pretext("finetune", "--model", model, "--train", train, "--test", test, "--run", run, *options)))
    lines = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return json.loads(result.read_text()), [m for m in lines if m.get("type") == "finetune"]


def metrics(run):
    """metrics.jsonl as two lists of dicts: the round lines and the monitor lines (kNN for images, mlm for text, the
    reconstruction monitor for a generative method)."""
    lines = [json.loads(line) for line in (Path(run) / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return ([m for m in lines if m.get("type") == "round"],
            [m for m in lines if m.get("type") in ("knn", "mlm", "reconstruction")])


def evaluations(run):
    """The evaluations `evaluate --model RUN` recorded in RUN/evaluations/, as a list of dicts."""
    return [json.loads(p.read_text()) for p in sorted((Path(run) / "evaluations").glob("*.json"))]


def json_lines(directory):
    """Every line of the part files Spark wrote into `directory` (e.g. `embed --format json`), as dicts."""
    rows = []
    for part in sorted(Path(directory).glob("part-*")):
        rows.extend(json.loads(line) for line in part.read_text().splitlines() if line.strip())
    return rows


def wordnet_glosses(train=8000, test=2000):
    """JSON lines of WordNet glosses labeled by lexicographer file (45 classes), split by synset: `train` training and
    `test` held-out glosses, every k-th line so that all parts of speech are in, of the text demo's corpus (io.pretext.jobs.demo.WordNetGlosses, run from the
    project's build), as WORK/glosses/{train,test}.jsonl. Returns their paths by name."""
    out = WORK / "glosses"
    full = out / "all"
    if not (full / "train.jsonl").exists():
        if not (WORDNET / "data.noun").exists():
            raise FileNotFoundError(f"{WORDNET}/data.noun is missing: apt-get install wordnet-base, or set PRETEXT_WORDNET")
        jobs = HOME / "spark-jobs" / "target"
        jar = next(p for p in jobs.glob("pretext-spark-jobs-*.jar") if not p.name.endswith("-job.jar"))
        classpath = f"{jar}:{(jobs / 'classpath.txt').read_text().strip()}"
        subprocess.run(["java", "-cp", classpath, "io.pretext.jobs.demo.WordNetGlosses", str(WORDNET), str(full)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    paths = {}
    for split, n in (("train", train), ("test", test)):
        lines = (full / f"{split}.jsonl").read_text().splitlines()
        lines = lines[::max(1, len(lines) // n)][:n]
        paths[split] = out / f"{split}-{n}.jsonl"
        paths[split].write_text("\n".join(lines) + "\n")
    return paths
