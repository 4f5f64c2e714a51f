"""Lesson 5: with softmax and negative log-likelihood, the gradient at the logits is p - y.

Claim: for L = mean_i -log softmax(z_i)[y_i], the gradient with respect to the logits is
dL/dz = (softmax(z) - onehot(y)) / N, and the output layer's weight gradient is
(P - Y)^T H / N. Measured in float64 three ways (the fused ``cross_entropy``, ``log_softmax`` then
``nll_loss``, and the naive softmax -> log -> pick), all agree with p - y to round-off (< 1e-12),
and central finite differences agree to < 1e-7.

Writes a bar chart of p, y and N * dL/dz for a few samples (PNG).
"""

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import nn
import nn.functional as F
from autograd_core import Value


def onehot(y, c):
    return np.eye(c)[y]


def softmax_np(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def logit_grad(z_np, y, loss_fn):
    z = Value(z_np)
    loss_fn(z, y).backward()
    return z.grad


def naive_nll(z, y):
    """softmax, then log, then pick the target column: three separate ops, no fused rule."""
    p = F.softmax(z, dim=1)
    return -(p.log() * onehot(y, z.shape[1])).sum() / z.shape[0]


def run(n=32, features=10, classes=5, hidden=16, seed=0, out="out", plot=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    y = rng.integers(0, classes, n)
    body = nn.Sequential(nn.Linear(features, hidden, dtype=np.float64, rng=rng), nn.Tanh())
    head = nn.Linear(hidden, classes, dtype=np.float64, rng=rng)

    # The network: the logits retain their gradient so we can read dL/dz.
    h = body(Value(X, requires_grad=False))
    h.retain_grad()
    z = head(h)
    z.retain_grad()
    F.cross_entropy(z, y).backward()
    p = softmax_np(z.data)
    Y = onehot(y, classes)
    expected = (p - Y) / n
    err_net = float(np.max(np.abs(z.grad - expected)))
    err_w = float(np.max(np.abs(head.weight.grad - expected.T @ h.data)))
    err_b = float(np.max(np.abs(head.bias.grad - expected.sum(0))))

    # The same logits through three formulations of the loss.
    zd = z.data
    forms = {
        "cross_entropy": lambda v, t: F.cross_entropy(v, t),
        "log_softmax + nll_loss": lambda v, t: F.nll_loss(F.log_softmax(v, dim=1), t),
        "naive softmax -> log": naive_nll,
    }
    errs = {k: float(np.max(np.abs(logit_grad(zd, y, f) - expected))) for k, f in forms.items()}

    # Central differences on the loss as a plain function of the logits.
    def loss_at(zz):
        return F.cross_entropy(Value(zz, requires_grad=False), y).item()

    eps = 1e-6
    fd = np.zeros_like(zd)
    for idx in np.ndindex(*zd.shape):
        d = np.zeros_like(zd)
        d[idx] = eps
        fd[idx] = (loss_at(zd + d) - loss_at(zd - d)) / (2 * eps)
    err_fd = float(np.max(np.abs(fd - expected)))

    files = []
    if plot:
        k = min(4, n)
        fig, axes = plt.subplots(1, k, figsize=(3.2 * k, 3), sharey=True)
        cls = np.arange(classes)
        for i, ax in enumerate(np.atleast_1d(axes)):
            ax.bar(cls - 0.27, p[i], 0.27, label="p = softmax(z)")
            ax.bar(cls, Y[i], 0.27, label="y (one-hot)")
            ax.bar(cls + 0.27, n * z.grad[i], 0.27, label="N * dL/dz (autograd)")
            ax.axhline(0, color="k", lw=0.6)
            ax.set_title(f"sample {i}, target {y[i]}", fontsize=10)
            ax.set_xticks(cls)
        np.atleast_1d(axes)[0].legend(fontsize=7, loc="lower left")
        fig.suptitle(f"the gradient at the logits is p - y (max error {err_net:.1e})", y=1.04)
        files.append(save_figure(fig, out, "05_softmax_nll_gradient.png"))

    worst = max(err_net, err_w, err_b, *errs.values())
    return {
        "claim_holds": bool(worst < 1e-12 and err_fd < 1e-7),
        "max |dL/dz - (p - y)/N| in the network": err_net,
        "max |dL/dW - (P - Y)^T H / N|": err_w,
        "max |dL/db - sum(P - Y)/N|": err_b,
        "max error per formulation": errs,
        "max |finite difference - (p - y)/N|": err_fd,
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--n", type=int, default=32, help="batch size (default 32)")
    p.add_argument("--classes", type=int, default=5, help="number of classes (default 5)")
    a = p.parse_args(argv)
    res = run(n=a.n, classes=a.classes, seed=a.seed, out=a.out)
    return check_claim(res, "softmax + NLL: dL/dz = p - y (per sample, divided by N for the mean)")


if __name__ == "__main__":
    main()
