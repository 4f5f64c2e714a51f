"""Training-step benchmarks for nn: an MLP 784-256-128-10 and a small CNN, each on this engine,
PyTorch CPU and a hand-written numpy floor (forward, backward and SGD update written out by hand).

Run: python benchmarks/bench_nn.py [--quick]
Targets (issue 3): MLP within 1.1x of the numpy floor at batch 128; CNN within 1.5x of PyTorch CPU;
peak memory of the MLP step at batch 1024 within 1.6x of the floor's.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import median_time, peak_memory, print_table, tune_malloc

LR = 0.01


# -- the numpy floor ---------------------------------------------------------------------------
def _softmax_xent_grad(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = logits.shape[0]
    loss = -np.log(p[np.arange(n), y]).mean()
    p[np.arange(n), y] -= 1
    p /= n
    return loss, p


class NumpyMLP:
    def __init__(self, sizes, rng):
        self.W = [rng.standard_normal((o, i)).astype(np.float32) * np.float32(1 / np.sqrt(i)) for i, o in sizes]
        self.b = [np.zeros(o, np.float32) for _, o in sizes]

    def step(self, x, y):
        acts = [x]
        for k, (W, b) in enumerate(zip(self.W, self.b)):
            h = acts[-1] @ W.T + b
            if k < len(self.W) - 1:
                np.maximum(h, 0, out=h)
            acts.append(h)
        loss, g = _softmax_xent_grad(acts[-1], y)
        for k in reversed(range(len(self.W))):
            if k < len(self.W) - 1:
                g = g * (acts[k + 1] > 0)
            dW = g.T @ acts[k]
            db = g.sum(axis=0)
            if k > 0:
                g = g @ self.W[k]
            self.W[k] -= LR * dW
            self.b[k] -= LR * db
        return loss


def _im2col(x, k, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    return np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))  # N C H W k k


def _col2im(gcols, shape, k, pad):
    n, c, h, w = shape
    gx = np.zeros((n, c, h + 2 * pad, w + 2 * pad), gcols.dtype)
    for i in range(k):
        for j in range(k):
            gx[:, :, i : i + h, j : j + w] += gcols[:, :, :, :, i, j]
    return gx[:, :, pad : pad + h, pad : pad + w]


class NumpyCNN:
    """conv 1->8 3x3 pad 1, relu, maxpool 2; conv 8->16 3x3 pad 1, relu, maxpool 2; linear 784->10."""

    def __init__(self, rng):
        self.w1 = rng.standard_normal((8, 1, 3, 3)).astype(np.float32) * np.float32(1 / 3)
        self.b1 = np.zeros(8, np.float32)
        self.w2 = rng.standard_normal((16, 8, 3, 3)).astype(np.float32) * np.float32(1 / np.sqrt(72))
        self.b2 = np.zeros(16, np.float32)
        self.w3 = rng.standard_normal((10, 784)).astype(np.float32) * np.float32(1 / 28)
        self.b3 = np.zeros(10, np.float32)

    @staticmethod
    def _conv(x, w, b):
        cols = _im2col(x, 3, 1)
        return np.tensordot(cols, w, axes=((1, 4, 5), (1, 2, 3))).transpose(0, 3, 1, 2) + b[:, None, None], cols

    @staticmethod
    def _conv_back(g, cols, w, xshape):
        dw = np.tensordot(g, cols, axes=((0, 2, 3), (0, 2, 3)))  # O C k k
        db = g.sum(axis=(0, 2, 3))
        gcols = np.tensordot(g, w, axes=((1,), (0,))).transpose(0, 3, 1, 2, 4, 5)  # N C H W k k
        return _col2im(gcols, xshape, 3, 1), dw, db

    @staticmethod
    def _pool(x):
        n, c, h, w = x.shape
        r = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
        idx = r.argmax(axis=-1)[..., None]
        return np.take_along_axis(r, idx, axis=-1)[..., 0], idx

    @staticmethod
    def _pool_back(g, idx):
        n, c, h2, w2, _ = idx.shape
        z = np.zeros((n, c, h2, w2, 4), g.dtype)
        np.put_along_axis(z, idx, g[..., None], axis=-1)
        return z.reshape(n, c, h2, w2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, 2 * h2, 2 * w2)

    def step(self, x, y):
        c1, cols1 = self._conv(x, self.w1, self.b1)
        r1 = np.maximum(c1, 0)
        p1, m1 = self._pool(r1)
        c2, cols2 = self._conv(p1, self.w2, self.b2)
        r2 = np.maximum(c2, 0)
        p2, m2 = self._pool(r2)
        flat = p2.reshape(len(x), -1)
        logits = flat @ self.w3.T + self.b3
        loss, g = _softmax_xent_grad(logits, y)
        dw3, db3 = g.T @ flat, g.sum(axis=0)
        g = (g @ self.w3).reshape(p2.shape)
        g = self._pool_back(g, m2) * (c2 > 0)
        g, dw2, db2 = self._conv_back(g, cols2, self.w2, p1.shape)
        g = self._pool_back(g, m1) * (c1 > 0)
        _, dw1, db1 = self._conv_back(g, cols1, self.w1, x.shape)
        for name, d in (("w1", dw1), ("b1", db1), ("w2", dw2), ("b2", db2), ("w3", dw3), ("b3", db3)):
            getattr(self, name)[...] -= LR * d
        return loss


# -- this engine ---------------------------------------------------------------------------------
def ours_mlp(rng):
    import nn

    return nn.Sequential(
        nn.Linear(784, 256, rng=rng), nn.ReLU(), nn.Linear(256, 128, rng=rng), nn.ReLU(), nn.Linear(128, 10, rng=rng)
    )


def ours_cnn(rng):
    import nn

    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(784, 10, rng=rng),
    )


def ours_step(model, opt):
    import nn.functional as F

    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


# -- PyTorch -------------------------------------------------------------------------------------
def torch_step(torch, model):
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    lossf = torch.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def torch_models(torch):
    tnn = torch.nn
    mlp = tnn.Sequential(tnn.Linear(784, 256), tnn.ReLU(), tnn.Linear(256, 128), tnn.ReLU(), tnn.Linear(128, 10))
    cnn = tnn.Sequential(
        tnn.Conv2d(1, 8, 3, padding=1),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Conv2d(8, 16, 3, padding=1),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Flatten(),
        tnn.Linear(784, 10),
    )
    return mlp, cnn


def _batch(x, y):
    """Batches read-only, as nn.DataLoader yields them (ops then keep them by reference, no copy)."""
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's own)")
    ap.add_argument("--default-malloc", action="store_true", help="leave glibc's malloc settings alone")
    args = ap.parse_args(argv)
    if not args.default_malloc:
        print(f"glibc malloc tuned to keep freed blocks (all engines): {tune_malloc()}")
    repeat = 5 if args.quick else 20
    rng = np.random.default_rng(0)
    try:
        import torch

        if args.threads:
            torch.set_num_threads(args.threads)
        tmlp, tcnn = torch_models(torch)
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    except ImportError:
        torch = None
        print("PyTorch not installed: torch columns left out")

    import nn

    rows, mem_rows = [], []
    for batch in (16, 128, 1024):
        x, y = _batch(rng.standard_normal((batch, 784)).astype(np.float32), rng.integers(0, 10, batch))
        floor = NumpyMLP([(784, 256), (256, 128), (128, 10)], rng)
        model = ours_mlp(rng)
        ostep = ours_step(model, nn.optim.SGD(model.parameters(), lr=LR))
        t = {
            "numpy": median_time(lambda: floor.step(x, y), repeat),
            "ours": median_time(lambda: ostep(x, y), repeat),
        }
        if torch is not None:
            tx, ty, ts = torch.from_numpy(x), torch.from_numpy(y), torch_step(torch, tmlp)
            t["torch"] = median_time(lambda: ts(tx, ty), repeat)
        rows.append((f"MLP step, batch {batch}", t))
        if batch == 1024:
            mem_rows.append((peak_memory(lambda: floor.step(x, y)), peak_memory(lambda: ostep(x, y))))

    x, y = _batch(rng.standard_normal((64, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, 64))
    floor = NumpyCNN(rng)
    model = ours_cnn(rng)
    ostep = ours_step(model, nn.optim.SGD(model.parameters(), lr=LR))
    t = {"numpy": median_time(lambda: floor.step(x, y), repeat), "ours": median_time(lambda: ostep(x, y), repeat)}
    if torch is not None:
        tx, ty, ts = torch.from_numpy(x), torch.from_numpy(y), torch_step(torch, tcnn)
        t["torch"] = median_time(lambda: ts(tx, ty), repeat)
    rows.append(("CNN step, batch 64", t))

    cols = ["ours", "numpy"] + (["torch"] if torch is not None else [])
    print_table("Training steps (median wall time)", rows, cols)
    for floor_peak, ours_peak in mem_rows:
        print(
            f"\nPeak memory, MLP step at batch 1024: ours {ours_peak / 2**20:.2f} MiB, "
            f"numpy floor {floor_peak / 2**20:.2f} MiB, ratio {ours_peak / floor_peak:.2f}"
        )


if __name__ == "__main__":
    main()
