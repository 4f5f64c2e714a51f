"""The numpy floors: each workload's maths written out by hand in numpy, forward, backward and the
SGD update, with no graph at all. A framework cannot do less work than these, so ``ours / floor``
is the price of the framework (dispatch, bookkeeping, extra temporaries)."""

import numpy as np

LR = 0.01


def chain_numpy(x0, n):
    """The scalar/vector chain (mul 0.999, add 0.01, tanh in turn): forward keeping the tanh outputs,
    then the backward formulas; returns d(sum y)/dx."""
    x = np.asarray(x0)
    outs = []
    for i in range(n):
        r = i % 3
        if r == 0:
            x = np.multiply(x, 0.999)
        elif r == 1:
            x = np.add(x, 0.01)
        else:
            x = np.tanh(x)
            outs.append(x)
    g = np.ones_like(x)
    for i in reversed(range(n)):
        r = i % 3
        if r == 0:
            g = np.multiply(g, 0.999)
        elif r == 2:
            t = outs.pop()
            g = g * (1 - t * t)
        # add passes g through unchanged
    return g


def softmax_xent_grad(logits, y):
    """Mean cross-entropy of integer targets and its gradient with respect to the logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = logits.shape[0]
    loss = -np.log(p[np.arange(n), y]).mean()
    p[np.arange(n), y] -= 1
    p /= n
    return loss, p


class NumpyMLP:
    """Linear layers with ReLU between them, cross-entropy, SGD: one training step per ``step``."""

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
        loss, g = softmax_xent_grad(acts[-1], y)
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
        loss, g = softmax_xent_grad(logits, y)
        dw3, db3 = g.T @ flat, g.sum(axis=0)
        g = (g @ self.w3).reshape(p2.shape)
        g = self._pool_back(g, m2) * (c2 > 0)
        g, dw2, db2 = self._conv_back(g, cols2, self.w2, p1.shape)
        g = self._pool_back(g, m1) * (c1 > 0)
        _, dw1, db1 = self._conv_back(g, cols1, self.w1, x.shape)
        for name, d in (("w1", dw1), ("b1", db1), ("w2", dw2), ("b2", db2), ("w3", dw3), ("b3", db3)):
            getattr(self, name)[...] -= LR * d
        return loss
