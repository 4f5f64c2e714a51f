"""Plots (matplotlib, an optional extra; the Agg backend, so no display is needed).

Each function returns the matplotlib Figure and, given ``path``, also saves it there (PNG, SVG or
PDF by suffix). ``activation_gallery`` draws every activation of ``nn.functional`` with its
derivative, and the derivative is computed by autograd (not written by hand), so the picture is
also a check of the vjps.
"""

import numpy as np

import autograd_core as ag

__all__ = [
    "activation_and_derivative",
    "activation_functions",
    "activation_gallery",
    "plot_decision_boundary",
    "plot_grad_norms",
    "plot_history",
    "save_figure",
]


def _plt():
    try:
        import matplotlib
    except ImportError as err:
        raise ImportError(
            "plotting needs matplotlib: pip install matplotlib or pip install 'autograd-core[demo]'"
        ) from err
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path, dpi=120):
    """Save ``fig`` (format from the suffix), creating the folder; returns the path."""
    import os

    path = os.fspath(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path


def _finish(fig, path):
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_history(history, path=None, title=None):
    """Loss (and every metric) per epoch, training against validation; marks the best epoch."""
    plt = _plt()
    h = getattr(history, "history", history)
    names = [k for k in h if not k.startswith("val_")]
    if not names:
        raise ValueError("plot_history: the history is empty")
    fig, axes = plt.subplots(1, len(names), figsize=(4.6 * len(names), 3.4), squeeze=False)
    best = getattr(history, "best_epoch", None)
    for ax, name in zip(axes[0], names):
        epochs = np.arange(1, len(h[name]) + 1)
        ax.plot(epochs, h[name], "o-", ms=3, label="train")
        if "val_" + name in h:
            ax.plot(epochs, h["val_" + name], "s-", ms=3, label="validation")
        if best is not None:
            ax.axvline(best + 1, color="grey", ls="--", lw=1, label=f"best epoch ({best + 1})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _finish(fig, path)


def plot_decision_boundary(predict_fn, X, y, path=None, resolution=200, title=None, ax=None):
    """Colour the plane by the predicted class of a 2-D classifier and scatter the data on top.

    predict_fn: a Module or a function from an (n, 2) array to logits (n, k) or scores (n,)/(n, 1).
    """
    plt = _plt()
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (n, 2), got {X.shape}")
    pad = 0.1 * (X.max(0) - X.min(0)) + 1e-9
    lo, hi = X.min(0) - pad, X.max(0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.stack([xx.ravel(), yy.ravel()], 1).astype(X.dtype if X.dtype.kind == "f" else np.float64)
    cls = predicted_classes(predict_fn, grid)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.8, 4.2))
    from matplotlib.colors import ListedColormap

    k = int(max(cls.max(), y.max())) + 1
    colors = ["#3b6fb6", "#d1495b"] if k == 2 else list(plt.get_cmap("tab10").colors[:k])
    cmap = ListedColormap(colors)
    ax.contourf(xx, yy, cls.reshape(xx.shape), levels=np.arange(k + 1) - 0.5, cmap=cmap, alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=k - 0.5, s=14, edgecolors="k", linewidths=0.3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    acc = float(np.mean(predicted_classes(predict_fn, X) == y)) if len(X) else float("nan")
    ax.set_title(title or f"decision boundary (accuracy {acc:.1%})")
    fig = fig or ax.figure
    return _finish(fig, path)


def predicted_classes(predict_fn, X):
    """Class per row: argmax of logits, or score > 0 for a single output."""
    from .loop import predict

    out = predict(predict_fn, X) if hasattr(predict_fn, "named_parameters") else predict_fn(X)
    out = np.asarray(out)
    return out.argmax(1) if out.ndim == 2 and out.shape[1] > 1 else (out.reshape(-1) > 0).astype(int)


def plot_grad_norms(recorder, path=None, title="gradient norm per layer", log=True, smooth=None):
    """Per-layer gradient norms over training steps (a GradientNormRecorder or {layer: [norms]}).

    Raw values are drawn faintly and a moving average (``smooth`` steps; default about 1/50 of
    the run) on top, since per-batch norms are noisy.
    """
    plt = _plt()
    norms = getattr(recorder, "norms", recorder)
    steps = getattr(recorder, "steps", None)
    if not norms:
        raise ValueError("plot_grad_norms: nothing recorded")
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    cmap = plt.get_cmap("viridis")
    for i, (layer, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=np.float64)
        xs = np.asarray(steps[: len(values)] if steps is not None else np.arange(len(values)))
        color = cmap(i / max(1, len(norms) - 1))
        w = smooth or max(1, len(values) // 50)
        if w > 1 and len(values) > w:
            ax.plot(xs, values, lw=0.6, color=color, alpha=0.25)
            avg = np.convolve(values, np.ones(w) / w, mode="valid")
            ax.plot(xs[w - 1 :], avg, lw=1.6, color=color, label=f"layer {layer}")
        else:
            ax.plot(xs, values, lw=1.2, color=color, label=f"layer {layer}")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("‖gradient‖₂")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, ncol=2 if len(norms) > 6 else 1)
    fig.tight_layout()
    return _finish(fig, path)


def activation_functions():
    """{name: f} for every activation in nn.functional (imported on use)."""
    from .. import functional as F

    table = {
        "relu": F.relu,
        "leaky_relu (0.1)": lambda x: F.leaky_relu(x, 0.1),
        "elu": F.elu,
        "selu": F.selu,
        "celu": F.celu,
        "gelu": F.gelu,
        "gelu (tanh)": lambda x: F.gelu(x, approximate="tanh"),
        "silu / swish": F.silu,
        "mish": F.mish,
        "softplus": F.softplus,
        "sigmoid": F.sigmoid,
        "tanh": F.tanh,
        "hardtanh": F.hardtanh,
        "relu6": F.relu6,
        "hardsigmoid": F.hardsigmoid,
        "hardswish": F.hardswish,
        "log_sigmoid": F.log_sigmoid,
        "softsign": F.softsign,
        "tanhshrink": F.tanhshrink,
        "hardshrink": F.hardshrink,
        "softshrink": F.softshrink,
        "threshold (0.5 / -1)": lambda x: F.threshold(x, 0.5, -1.0),
        "rrelu (eval)": F.rrelu,
    }
    return table


def activation_and_derivative(fn, x):
    """(f(x), f'(x)) on a grid, the derivative by reverse mode: d sum(f(x)) / dx elementwise."""
    v = ag.Value(np.asarray(x, dtype=np.float64))
    y = fn(v)
    y.sum().backward()
    return np.asarray(y.numpy()), np.asarray(v.grad)


def activation_gallery(path=None, names=None, lo=-4.0, hi=4.0, n=801, cols=4):
    """Every activation (solid) and its autograd derivative (dashed) on [lo, hi], one panel each."""
    plt = _plt()
    table = activation_functions()
    if names is not None:
        unknown = [k for k in names if k not in table]
        if unknown:
            raise ValueError(f"activation_gallery: unknown activations {unknown}; have {sorted(table)}")
        table = {k: table[k] for k in names}
    x = np.linspace(lo, hi, n)
    rows = -(-len(table) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.1 * cols, 2.5 * rows), squeeze=False)
    for ax, (name, fn) in zip(axes.ravel(), table.items()):
        y, dy = activation_and_derivative(fn, x)
        ax.axhline(0, color="k", lw=0.5)
        ax.axvline(0, color="k", lw=0.5)
        ax.plot(x, y, color="C0", lw=1.8, label="f(x)")
        ax.plot(x, dy, color="C3", lw=1.4, ls="--", label="f'(x) (autograd)")
        ax.set_title(name, fontsize=10)
        ax.set_xlim(lo, hi)
        ax.grid(alpha=0.25)
    for ax in axes.ravel()[len(table) :]:
        ax.axis("off")
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle("activations and their derivatives (derivatives by reverse-mode autograd)", fontsize=12)
    fig.tight_layout()
    return _finish(fig, path)
