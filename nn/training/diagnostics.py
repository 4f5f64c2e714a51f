"""Training diagnostics: per-layer gradient norms over time, dead ReLU units, activation statistics.

``GradientNormRecorder`` is a ``fit`` callback that records, after each backward, the L2 norm of
every layer's gradient (parameters grouped by module: ``0.weight`` and ``0.bias`` are layer ``0``):
the picture of vanishing or exploding gradients. ``activation_stats`` and ``dead_relu_fraction``
capture submodule outputs with forward hooks during one pass under ``no_grad``.
"""

import numpy as np

from ..modes import eval_mode
from .callbacks import Callback

__all__ = [
    "DeadReLUMonitor",
    "GradientNormRecorder",
    "activation_stats",
    "capture_activations",
    "dead_relu_fraction",
    "layer_grad_norms",
]


def _layer_of(name):
    return name.rsplit(".", 1)[0] if "." in name else name


def layer_grad_norms(model):
    """{layer name: L2 norm of the gradients of its parameters} (layers without grads are left out)."""
    sq = {}
    for name, p in model.named_parameters():
        if p.grad is None:
            continue
        g = np.asarray(p.grad, dtype=np.float64)
        layer = _layer_of(name)
        sq[layer] = sq.get(layer, 0.0) + float(np.sum(g * g))
    return {k: float(np.sqrt(v)) for k, v in sq.items()}


class GradientNormRecorder(Callback):
    """Record ``layer_grad_norms`` after every ``every``-th backward; ``norms[layer]`` is a list over ``steps``.

    ``weights_only=True`` keeps only ``*.weight`` parameters (biases often blur the picture).
    """

    def __init__(self, every=1, weights_only=False):
        if every < 1:
            raise ValueError(f"GradientNormRecorder: every must be >= 1, got {every}")
        self.every = every
        self.weights_only = weights_only
        self.steps = []
        self.norms = {}
        self._step = 0

    def on_after_backward(self, batch, logs):
        if self._step % self.every == 0:
            model = self.trainer.model
            if self.weights_only:
                norms = {}
                for name, p in model.named_parameters():
                    if name.endswith("weight") and p.grad is not None:
                        norms[_layer_of(name)] = float(np.linalg.norm(np.asarray(p.grad, np.float64)))
            else:
                norms = layer_grad_norms(model)
            for layer, v in norms.items():
                self.norms.setdefault(layer, []).append(v)
            self.steps.append(self._step)
        self._step += 1

    def summary(self):
        """{layer: (first, last, mean)} of the recorded norms."""
        return {k: (v[0], v[-1], float(np.mean(v))) for k, v in self.norms.items() if v}


def _raw(x):
    return np.asarray(x)


def capture_activations(model, x, modules=None):
    """Run ``model(x)`` once (eval mode, no grad) and return ``({name: output array}, output)``.

    modules: names of submodules to capture, or a predicate ``f(name, module)``; default: every
    submodule that has no children (the layers).
    """
    named = [(n, m) for n, m in model.named_modules() if n]
    if modules is None:
        chosen = [(n, m) for n, m in named if not any(True for _ in m.children())]
    elif callable(modules):
        chosen = [(n, m) for n, m in named if modules(n, m)]
    else:
        index = dict(named)
        missing = [n for n in modules if n not in index]
        if missing:
            raise KeyError(f"capture_activations: no submodules named {missing}; have {sorted(index)}")
        chosen = [(n, index[n]) for n in modules]
    outputs = {}
    handles = []
    for name, m in chosen:

        def hook(mod, inputs, out, name=name):
            outputs[name] = _raw(out)

        handles.append(m.register_forward_hook(hook))
    try:
        with eval_mode(model):
            out = model(x)
    finally:
        for h in handles:
            h.remove()
    return outputs, _raw(out)


def _stats(a):
    a = np.asarray(a, dtype=np.float64)
    return {
        "shape": tuple(a.shape),
        "mean": float(a.mean()),
        "std": float(a.std()),
        "min": float(a.min()),
        "max": float(a.max()),
        "zero_fraction": float(np.mean(a == 0)),
        "saturated_fraction": float(np.mean(np.abs(a) > 0.99)) if a.min() >= -1 and a.max() <= 1 else 0.0,
    }


def activation_stats(model, x, modules=None):
    """{layer: {shape, mean, std, min, max, zero_fraction, saturated_fraction}} for one forward pass.

    saturated_fraction: share of |a| > 0.99 for outputs bounded in [-1, 1] (tanh/sigmoid), else 0.
    """
    outputs, _ = capture_activations(model, x, modules)
    return {k: _stats(v) for k, v in outputs.items()}


def _is_relu(name, module):
    return type(module).__name__ in ("ReLU", "ReLU6")


def dead_relu_fraction(model, x, modules=None):
    """{layer: fraction of units whose output is 0 for every sample in ``x``} plus ``"total"``.

    A unit is one feature (axis 1: a neuron, or a channel of a feature map). modules: names of the
    submodules whose outputs are ReLU activations; default: every ``ReLU`` submodule. A model that
    calls ``F.relu`` inside forward can name the layers feeding it instead: relu(z) = 0 exactly
    where z <= 0, and that is what is tested.
    """
    outputs, _ = capture_activations(model, x, _is_relu if modules is None else modules)
    if not outputs:
        raise ValueError(
            "dead_relu_fraction: the model has no ReLU submodules; pass modules=[names of layers whose outputs are ReLU]"
        )
    result = {}
    dead_total = units_total = 0
    for name, a in outputs.items():
        a = np.asarray(a)
        if a.ndim < 2:
            raise ValueError(
                f"dead_relu_fraction: output of {name!r} has shape {a.shape}; expected (batch, units, ...)"
            )
        per_unit = np.moveaxis(a, 1, 0).reshape(a.shape[1], -1)
        dead = np.all(per_unit <= 0, axis=1)
        result[name] = float(dead.mean())
        dead_total += int(dead.sum())
        units_total += dead.size
    result["total"] = dead_total / units_total
    return result


class DeadReLUMonitor(Callback):
    """Record ``dead_relu_fraction`` on a fixed probe batch at the end of every epoch (``fractions[layer]``)."""

    def __init__(self, probe, modules=None):
        self.probe = probe
        self.modules = modules
        self.fractions = {}

    def on_epoch_end(self, epoch, logs):
        res = dead_relu_fraction(self.trainer.model, self.probe, self.modules)
        for k, v in res.items():
            self.fractions.setdefault(k, []).append(v)
        logs["dead_relu"] = res["total"]
