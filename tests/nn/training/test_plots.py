"""Plots write real image files (Agg backend) and the activation derivatives come from autograd."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import autograd_core as ag
from nn.layers import Linear
from nn.training.diagnostics import GradientNormRecorder
from nn.training.loop import History
from nn.training.plots import (
    activation_and_derivative,
    activation_functions,
    activation_gallery,
    plot_decision_boundary,
    plot_grad_norms,
    plot_history,
)

PNG = b"\x89PNG"


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(4) == PNG


def test_plot_history(tmp_path):
    h = History()
    for e, (lo, acc) in enumerate([(1.0, 0.5), (0.6, 0.7), (0.5, 0.8)]):
        h.append(e, {"loss": lo, "accuracy": acc, "val_loss": lo + 0.1, "val_accuracy": acc - 0.05})
    h.best_epoch = 2
    fig = plot_history(h, tmp_path / "sub" / "hist.png")
    assert _is_png(tmp_path / "sub" / "hist.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert len(fig.axes[0].lines) == 3  # train, validation, best epoch
    plot_history({"loss": [1.0, 0.5]}, tmp_path / "plain.svg")
    assert (tmp_path / "plain.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError):
        plot_history({})


def test_decision_boundary_from_a_module_and_a_function(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(int)
    fig = plot_decision_boundary(lambda g: g[:, :1], X, y, tmp_path / "db.png", resolution=50)
    assert _is_png(tmp_path / "db.png")
    assert "100.0%" in fig.axes[0].get_title()
    plot_decision_boundary(Linear(2, 3, seed=0), X.astype(np.float32), y, resolution=30)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plot_decision_boundary(lambda g: g, np.zeros((3, 3)), np.zeros(3))


def test_plot_grad_norms(tmp_path):
    rec = GradientNormRecorder()
    rec.norms = {"0": [1.0, 0.5, 0.25], "2": [2.0, 1.0, 0.5]}
    rec.steps = [0, 1, 2]
    fig = plot_grad_norms(rec, tmp_path / "g.png")
    assert _is_png(tmp_path / "g.png") and len(fig.axes[0].lines) == 2
    long = {"0": list(np.linspace(1, 2, 200))}
    assert len(plot_grad_norms(long, smooth=10).axes[0].lines) == 2  # raw + moving average
    plot_grad_norms({"a": [1.0, 2.0]})
    with pytest.raises(ValueError):
        plot_grad_norms({})


def test_activation_derivatives_are_autograd_and_correct():
    x = np.linspace(-3, 3, 61)
    _, dy = activation_and_derivative(ag.tanh, x)
    np.testing.assert_allclose(dy, 1 - np.tanh(x) ** 2, rtol=1e-12)
    fns = activation_functions()
    assert {"relu", "sigmoid", "tanh", "gelu", "softplus"} <= set(fns)
    xs = np.linspace(-3, 3, 13) + 0.05  # off the kinks
    for name, fn in fns.items():
        _y, dy = activation_and_derivative(fn, xs)
        fd = (activation_and_derivative(fn, xs + 1e-6)[0] - activation_and_derivative(fn, xs - 1e-6)[0]) / 2e-6
        np.testing.assert_allclose(dy, fd, atol=1e-5, err_msg=name)


def test_activation_gallery(tmp_path):
    fig = activation_gallery(tmp_path / "act.png", names=["relu", "tanh"], n=50, cols=2)
    assert _is_png(tmp_path / "act.png")
    assert [ax.get_title() for ax in fig.axes[:2]] == ["relu", "tanh"]
    with pytest.raises(ValueError, match="unknown"):
        activation_gallery(names=["nope"])


def test_missing_matplotlib_gives_a_clear_import_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("no matplotlib")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"pip install matplotlib"):
        plot_history({"loss": [1.0]})
