"""Lesson 7: stacking linear layers without a nonlinearity buys nothing.

Claim: a deep network of Linear layers with no activation between them is one affine map:
the product of its weight matrices W = W_L ... W_1 (and the bias pushed through the same way)
reproduces its output exactly (max difference at float64 round-off). So, like logistic regression,
it cannot solve XOR: training it leaves the accuracy at most 0.8 (the best a line can do on four
equal clusters is 0.75), while the same width with ONE tanh between two layers reaches >= 0.95.

Writes the two decision boundaries side by side (PNG).
"""

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import nn
import nn.functional as F
from autograd_core import Value, no_grad
from nn.datasets import make_xor
from nn.plots import plot_decision_boundary


def deep_linear(depth, width, rng):
    sizes = [2] + [width] * (depth - 1) + [1]
    return nn.Sequential(*[nn.Linear(sizes[i], sizes[i + 1], dtype=np.float64, rng=rng) for i in range(depth)])


def one_nonlinearity(width, rng):
    return nn.Sequential(
        nn.Linear(2, width, dtype=np.float64, rng=rng), nn.Tanh(), nn.Linear(width, 1, dtype=np.float64, rng=rng)
    )


def collapse(model):
    """The end-to-end affine map of a stack of Linear layers: (W, b) with f(x) = x W^T + b."""
    W = np.eye(model[0].in_features)
    b = np.zeros(model[0].in_features)
    for layer in model:
        W = layer.weight.data @ W
        b = layer.weight.data @ b + layer.bias.data
    return W, b


def train(model, X, y, steps, lr):
    opt = nn.optim.Adam(model.parameters(), lr=lr)
    xb = Value(X, requires_grad=False)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(xb).reshape(-1), y.astype(np.float64))
        loss.backward()
        opt.step()
    return loss.item()


def accuracy(model, X, y):
    with no_grad():
        return float(np.mean((model(Value(X, requires_grad=False)).data.reshape(-1) > 0) == y))


def run(n=200, depth=5, width=8, steps=300, lr=0.05, seed=0, out="out", plot=True):
    rng = np.random.default_rng(seed)
    X, y = make_xor(n=n, noise=0.15, seed=seed)
    linear = deep_linear(depth, width, rng)
    nonlinear = one_nonlinearity(width, rng)

    # Collapse: the deep linear network equals one affine map, before and after training.
    W, b = collapse(linear)
    with no_grad():
        before = float(np.max(np.abs(linear(Value(X, requires_grad=False)).data - (X @ W.T + b))))
    loss_lin = train(linear, X, y, steps, lr)
    loss_non = train(nonlinear, X, y, steps, lr)
    W, b = collapse(linear)
    with no_grad():
        after = float(np.max(np.abs(linear(Value(X, requires_grad=False)).data - (X @ W.T + b))))
    acc_lin, acc_non = accuracy(linear, X, y), accuracy(nonlinear, X, y)

    files = []
    if plot:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
        plot_decision_boundary(
            linear, X, y, ax=axes[0], title=f"{depth} Linear layers, no activation: acc {acc_lin:.2f}"
        )
        plot_decision_boundary(nonlinear, X, y, ax=axes[1], title=f"Linear-tanh-Linear: acc {acc_non:.2f}")
        fig.suptitle("XOR: depth without nonlinearity is still one line")
        files.append(save_figure(fig, out, "07_linear_collapse_xor.png"))

    return {
        "claim_holds": bool(max(before, after) < 1e-10 and acc_lin <= 0.8 and acc_non >= 0.95),
        "max |deep linear - collapsed map| (init, trained)": (before, after),
        "collapsed W (1x2)": np.round(W, 4).tolist(),
        "accuracy deep linear": acc_lin,
        "accuracy one tanh": acc_non,
        "final BCE (linear, tanh)": (loss_lin, loss_non),
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--n", type=int, default=200, help="XOR points (default 200)")
    p.add_argument("--depth", type=int, default=5, help="Linear layers in the linear-only network (default 5)")
    p.add_argument("--steps", type=int, default=300, help="Adam steps (default 300)")
    a = p.parse_args(argv)
    res = run(n=a.n, depth=a.depth, steps=a.steps, seed=a.seed, out=a.out)
    return check_claim(res, "deep linear = one affine map, fails XOR; one tanh solves it")


if __name__ == "__main__":
    main()
