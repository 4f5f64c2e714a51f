"""Lesson 4: too high a learning rate kills ReLU units; a lower rate, Leaky ReLU or PReLU prevent it.

Claim: a ReLU unit whose pre-activation is negative for every training input outputs 0 and gets
exactly zero gradient, so nothing can revive it: it is dead. Training a 2-64-64-3 MLP on the
spirals with Adam at a high learning rate (0.3) kills at least half of the ReLU units, against
well under half at a low rate (0.01), many of those dead from initialisation already. With Leaky
ReLU or PReLU at the same high rate no unit is dead: units that are negative everywhere still
pass a (small) gradient.

"Dead" is measured, not assumed: a hidden unit is dead when the full-batch gradient of its
incoming weights and bias is exactly zero. ``nn.diagnostics.dead_relu_fraction`` (units whose ReLU
output is 0 on every input) is reported beside it: it can only be lower (a unit that still fires
but feeds only dead units gets no gradient either), and it too must show at least half dead.
Writes the dead fraction and the loss over training (PNG).
"""

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import nn
import nn.functional as F
from autograd_core import Value
from nn.datasets import make_spirals
from nn.diagnostics import dead_relu_fraction

ACTIVATIONS = {"ReLU": nn.ReLU, "LeakyReLU(0.1)": lambda width: nn.LeakyReLU(0.1), "PReLU": nn.PReLU}


def build(activation, width, hidden_layers, rng, classes=3):
    layers, n_in = [], 2
    for _ in range(hidden_layers):
        act = ACTIVATIONS[activation]
        layers += [nn.Linear(n_in, width, rng=rng), act() if activation == "ReLU" else act(width)]
        n_in = width
    layers.append(nn.Linear(n_in, classes, rng=rng))
    return nn.Sequential(*layers)


def zero_gradient_fraction(model):
    """Share of hidden units whose incoming weights and bias got exactly zero gradient."""
    hidden = [m for m in model if isinstance(m, nn.Linear)][:-1]
    dead = [np.all(m.weight.grad == 0, axis=1) & (m.bias.grad == 0) for m in hidden]
    return float(np.mean(np.concatenate(dead)))


def train(activation, lr, X, y, steps, width, hidden_layers, seed):
    model = build(activation, width, hidden_layers, np.random.default_rng(seed))
    opt = nn.optim.Adam(model.parameters(), lr=lr)
    xb = Value(X, requires_grad=False)
    dead, losses = [], []
    for step in range(steps + 1):
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), y)
        loss.backward()
        dead.append(zero_gradient_fraction(model))
        losses.append(loss.item())
        if step < steps:  # the last pass only measures, so the diagnostics below see the same weights
            opt.step()
    by_diagnostics = dead_relu_fraction(model, xb)["total"] if activation == "ReLU" else None
    return {"dead": dead, "loss": losses, "diagnostics": by_diagnostics}


def run(n=300, width=64, hidden_layers=2, steps=200, high_lr=0.3, low_lr=0.01, seed=0, out="out", plot=True):
    X, y = make_spirals(n, seed=seed)
    X = X.astype(np.float32)
    configs = [("ReLU", low_lr), ("ReLU", high_lr), ("LeakyReLU(0.1)", high_lr), ("PReLU", high_lr)]
    runs = {f"{a}, lr {lr}": train(a, lr, X, y, steps, width, hidden_layers, seed) for a, lr in configs}
    relu_low, relu_high, leaky, prelu = runs.values()
    final = {k: r["dead"][-1] for k, r in runs.items()}
    # Every unit with zero output everywhere has zero gradient; the gradient test also catches live
    # units cut off because every unit they feed is dead.
    consistent = all(r["diagnostics"] <= r["dead"][-1] + 1e-12 for r in (relu_low, relu_high))
    holds = (
        consistent
        and relu_high["diagnostics"] >= 0.5
        and (
            relu_high["dead"][-1] >= 0.5
            and relu_low["dead"][-1] < 0.5
            and relu_high["dead"][-1] >= relu_low["dead"][-1] + 0.2
            and leaky["dead"][-1] == 0
            and prelu["dead"][-1] == 0
        )
    )

    files = []
    if plot:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
        for k, r in runs.items():
            a1.plot(r["dead"], label=k)
            a2.plot(r["loss"], label=k)
        a1.set_title("dead units (exactly zero gradient on the whole training set)", fontsize=10)
        a1.set_xlabel("Adam step")
        a1.set_ylabel("fraction of hidden units")
        a1.set_ylim(-0.02, 1.02)
        a1.legend(fontsize=8)
        a2.set_yscale("log")
        a2.set_title("training loss (spirals, 3 classes)", fontsize=10)
        a2.set_xlabel("Adam step")
        files.append(save_figure(fig, out, "04_dead_relu.png"))

    return {
        "claim_holds": bool(holds),
        "dead fraction at init (ReLU)": relu_low["dead"][0],
        "dead fraction at the end": final,
        "dead_relu_fraction() after training (ReLU low lr, high lr)": (
            relu_low["diagnostics"],
            relu_high["diagnostics"],
        ),
        "final loss": {k: r["loss"][-1] for k, r in runs.items()},
        "files": files,
    }


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--steps", type=int, default=200, help="Adam steps (default 200)")
    p.add_argument("--high-lr", type=float, default=0.3, help="the too-high learning rate (default 0.3)")
    p.add_argument("--low-lr", type=float, default=0.01, help="the safe learning rate (default 0.01)")
    a = p.parse_args(argv)
    res = run(steps=a.steps, high_lr=a.high_lr, low_lr=a.low_lr, seed=a.seed, out=a.out)
    return check_claim(res, "high lr kills >= half the ReLUs; low lr, Leaky ReLU and PReLU keep every unit alive")


if __name__ == "__main__":
    main()
