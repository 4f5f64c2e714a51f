"""Lesson 3: vanishing gradients in a deep sigmoid network, and how ReLU with He init avoids them.

Claim: in a 10-layer sigmoid MLP the gradient shrinks by a roughly constant factor at every layer
on its way back (sigmoid' <= 1/4), so the first layer's gradient is orders of magnitude smaller
than the last layer's: ratio ||dL/dtheta_1|| / ||dL/dtheta_10|| < 1e-3 (theta: a layer's weight
and bias), with PyTorch's default init and still with Xavier init. The same network with ReLU and
He (kaiming_normal_) init keeps the gradient norm roughly level: a ratio between 0.1 and 10.

Measured on a batch of scikit-learn's digits with cross-entropy, at initialisation and after a
few SGD steps, using ``nn.diagnostics.layer_grad_norms``. Writes per-layer norms (PNG).
"""

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import nn
import nn.functional as F
from autograd_core import Value
from nn.datasets import load_digits
from nn.diagnostics import layer_grad_norms

SETUPS = {
    "sigmoid, default init": ("sigmoid", None),
    "sigmoid, Xavier init": ("sigmoid", "xavier"),
    "ReLU, He init": ("relu", "he"),
}


def build(depth, width, activation, init, rng, n_in=64, n_out=10):
    sizes = [n_in] + [width] * (depth - 1) + [n_out]
    layers = []
    for i in range(depth):
        lin = nn.Linear(sizes[i], sizes[i + 1], rng=rng)
        if init == "xavier":
            nn.init.xavier_uniform_(lin.weight, generator=rng)
            nn.init.zeros_(lin.bias)
        elif init == "he":
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu", generator=rng)
            nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < depth - 1:
            layers.append(nn.Sigmoid() if activation == "sigmoid" else nn.ReLU())
    return nn.Sequential(*layers)


def linear_norms(model, X, y):
    """Gradient norm of each Linear layer's parameters (weight and bias), first to last, for one batch."""
    model.zero_grad()
    F.cross_entropy(model(X), y).backward()
    norms = layer_grad_norms(model)
    return [norms[name] for name, m in model.named_children() if isinstance(m, nn.Linear)]


def run(depth=10, width=32, batch=256, train_steps=20, lr=0.1, seed=0, out="out", plot=True):
    rng = np.random.default_rng(seed)
    Xall, yall = load_digits(flatten=True)
    idx = rng.permutation(len(Xall))[:batch]
    X, y = Value(Xall[idx], requires_grad=False), yall[idx]
    results = {}
    for label, (act, init) in SETUPS.items():
        model = build(depth, width, act, init, np.random.default_rng(seed))
        at_init = linear_norms(model, X, y)
        opt = nn.optim.SGD(model.parameters(), lr=lr)
        for _ in range(train_steps):
            opt.zero_grad()
            F.cross_entropy(model(X), y).backward()
            opt.step()
        trained = linear_norms(model, X, y)
        results[label] = (at_init, trained)

    def ratio(norms):
        return norms[0] / norms[-1]

    ratios = {k: (ratio(a), ratio(b)) for k, (a, b) in results.items()}
    sig_ok = all(max(r) < 1e-3 for k, r in ratios.items() if k.startswith("sigmoid"))
    relu_ok = all(0.1 < x < 10 for x in ratios["ReLU, He init"])

    files = []
    if plot:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
        layers = np.arange(1, depth + 1)
        for ax, j, when in ((axes[0], 0, "at initialisation"), (axes[1], 1, f"after {train_steps} SGD steps")):
            for label, norms in results.items():
                ax.semilogy(layers, norms[j], "o-", label=f"{label} (ratio {ratios[label][j]:.1e})")
            ax.set_xlabel("layer (1 = input side)")
            ax.set_title(when, fontsize=10)
            ax.set_xticks(layers)
            ax.grid(alpha=0.3, which="both")
        axes[0].set_ylabel("||dL/d(W, b)|| per layer")
        axes[0].legend(fontsize=8)
        fig.suptitle(f"{depth}-layer MLP on digits: gradient norm by layer")
        files.append(save_figure(fig, out, "03_vanishing_gradients.png"))

    return {
        "claim_holds": bool(sig_ok and relu_ok),
        "first/last layer gradient-norm ratio (init, trained)": {
            k: tuple(float(x) for x in r) for k, r in ratios.items()
        },
        "per-layer norms at init, sigmoid default": [float(x) for x in results["sigmoid, default init"][0]],
        "per-layer norms at init, ReLU He": [float(x) for x in results["ReLU, He init"][0]],
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--depth", type=int, default=10, help="number of Linear layers (default 10)")
    p.add_argument("--width", type=int, default=32, help="hidden width (default 32)")
    p.add_argument("--steps", type=int, default=20, help="SGD steps before the second measurement (default 20)")
    a = p.parse_args(argv)
    res = run(depth=a.depth, width=a.width, train_steps=a.steps, seed=a.seed, out=a.out)
    return check_claim(res, "sigmoid: first/last gradient ratio < 1e-3; ReLU + He: between 0.1 and 10")


if __name__ == "__main__":
    main()
