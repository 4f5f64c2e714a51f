"""The built-in gradient checks behind ``autograd-core gradcheck``.

``OP_SAMPLES`` gives every registered primitive a small float64 sample: a function of Values and
its inputs, with values kept away from kinks (relu at 0, ties of max) where a finite difference
is meaningless. Layers, activations and losses from ``nn`` are checked as whole functions of
their inputs and parameters. A registered op without a sample is reported as missing (and fails
the sweep), so a new primitive cannot slip in unchecked.
"""

import time
import warnings
from dataclasses import dataclass

import numpy as np

import autograd_core as ag
from autograd_core import REGISTRY, gradcheck, gradgradcheck

__all__ = ["OP_SAMPLES", "CheckResult", "all_cases", "run_checks"]

_rng = np.random.default_rng(0)


def _r(*shape, lo=-2.0, hi=2.0, away=None):
    """Uniform samples, nudged at least 0.1 away from the points in ``away``."""
    x = _rng.uniform(lo, hi, shape)
    for p in away or ():
        close = np.abs(x - p) < 0.1
        x = np.where(close, p + np.where(x >= p, 0.1, -0.1) + np.sign(x - p + 1e-12) * 0.05, x)
    return x


def _pos(*shape):
    return _rng.uniform(0.5, 2.0, shape)


def _distinct(*shape):
    """Values with no ties (max/min reductions and pooling are smooth there)."""
    return (_rng.permutation(int(np.prod(shape))).reshape(shape) + _rng.uniform(0, 0.5, shape)) / 4.0


R = REGISTRY
# name -> (function of Values, inputs, second-order check too?)
OP_SAMPLES = {
    "add": (lambda a, b: a + b, [_r(3, 1), _r(4)]),
    "sub": (lambda a, b: a - b, [_r(3, 4), _r(4)]),
    "mul": (lambda a, b: a * b, [_r(2, 3), _r(1, 3)]),
    "div": (lambda a, b: a / b, [_r(2, 3), _pos(2, 3)]),
    "neg": (lambda a: -a, [_r(3)]),
    "pow": (lambda a: a**3, [_r(4)]),
    "pow_value": (lambda a, b: ag.power(a, b), [_pos(3), _r(3)]),
    "exp": (ag.exp, [_r(3, 2)]),
    "log": (ag.log, [_pos(3, 2)]),
    "sqrt": (ag.sqrt, [_pos(5)]),
    "abs": (ag.abs, [_r(5, away=[0])]),
    "tanh": (ag.tanh, [_r(5)]),
    "sigmoid": (ag.sigmoid, [_r(5)]),
    "relu": (ag.relu, [_r(6, away=[0])]),
    "maximum": (ag.maximum, [_distinct(2, 3), _distinct(2, 3) + 0.01]),
    "minimum": (ag.minimum, [_distinct(2, 3), _distinct(2, 3) + 0.01]),
    "where": (lambda a, b: ag.where(np.array([True, False, True]), a, b), [_r(3), _r(2, 3)]),
    "clip": (lambda a: ag.clip(a, -1.0, 1.0), [_r(6, lo=-3, hi=3, away=[-1, 1])]),
    "astype": (lambda a: a.astype(np.float64) * 2.0, [_r(3)]),
    "reshape": (lambda a: a.reshape(3, 2), [_r(2, 3)]),
    "transpose": (lambda a: ag.transpose(a, (2, 0, 1)), [_r(2, 3, 4)]),
    "swapaxes": (lambda a: ag.swapaxes(a, 0, 2), [_r(2, 3, 4)]),
    "broadcast_to": (lambda a: ag.broadcast_to(a, (2, 3, 4)), [_r(3, 1)]),
    "squeeze": (lambda a: ag.squeeze(a, 1), [_r(3, 1, 2)]),
    "unsqueeze": (lambda a: ag.unsqueeze(a, 1), [_r(3, 2)]),
    "flatten": (lambda a: ag.flatten(a, 1), [_r(2, 3, 2)]),
    "scatter_add": (lambda g: R["scatter_add"](g, shape=(4, 2), index=(np.array([0, 2, 2]),)), [_r(3, 2)]),
    "getitem": (lambda a: a[np.array([0, 2, 2]), 1:], [_r(4, 3)]),
    "concatenate": (lambda a, b: ag.concatenate([a, b], axis=1), [_r(2, 3), _r(2, 1)]),
    "stack": (lambda a, b: ag.stack([a, b], axis=1), [_r(2, 3), _r(2, 3)]),
    "pad": (lambda a: ag.pad(a, ((1, 0), (2, 1)), value=0.5), [_r(2, 3)]),
    "matmul": (ag.matmul, [_r(2, 3, 4), _r(4, 2)]),
    "tensordot": (lambda a, b: ag.tensordot(a, b, axes=([1, 2], [0, 1])), [_r(2, 3, 4), _r(3, 4, 2)]),
    "einsum": (lambda a, b: ag.einsum("bij,jk->bik", a, b), [_r(2, 3, 4), _r(4, 2)]),
    "sum": (lambda a: a.sum(axis=1, keepdims=True), [_r(3, 4)]),
    "mean": (lambda a: a.mean(axis=(0, 2)), [_r(2, 3, 2)]),
    "max": (lambda a: a.max(axis=1), [_distinct(3, 4)]),
    "min": (lambda a: a.min(axis=0), [_distinct(3, 4)]),
    "logsumexp": (lambda a: a.logsumexp(axis=1), [_r(3, 4)]),
    "sliding_windows": (lambda a: ag.sliding_windows(a, (2, 2), axes=(1, 2), stride=(1, 2)), [_r(2, 4, 5)]),
    "fold": (
        lambda g: R["fold"](g, shape=(5,), window_shape=(2,), axes=(0,), stride=(1,), dilation=(1,)),
        [_r(4, 2)],
    ),
    "softplus": (ag.softplus, [_r(5)]),
    "log_sigmoid": (ag.log_sigmoid, [_r(5)]),
    "expm1": (ag.expm1, [_r(5)]),
    "log1p": (ag.log1p, [_pos(5)]),
    "erf": (ag.erf, [_r(5)]),
    "softmax": (lambda a: ag.softmax(a, axis=-1), [_r(2, 4)]),
    "log_softmax": (lambda a: ag.log_softmax(a, axis=0), [_r(3, 2)]),
    "softmax_cross_entropy": (
        lambda x, q: R["softmax_cross_entropy"](x, q, axis=-1),
        [_r(3, 4), _rng.dirichlet(np.ones(4), 3)],
    ),
    "linear": (lambda x, w, b: R["linear"](x, w, b), [_r(3, 4), _r(2, 4), _r(2)]),
    "linear_nobias": (lambda x, w: R["linear_nobias"](x, w), [_r(3, 4), _r(2, 4)]),
    "softmax_nll": (
        lambda x: R["softmax_nll"](x, target=np.array([1, 0, 3]), weight=np.array([1.0, 0.5, 2.0]), reduction="sum"),
        [_r(3, 4)],
    ),
    "sigmoid_cross_entropy": (lambda x, t: R["sigmoid_cross_entropy"](x, t), [_r(4), _rng.uniform(0, 1, 4)]),
    "binary_cross_entropy": (
        lambda p, t: R["binary_cross_entropy"](p, t),
        [_rng.uniform(0.1, 0.9, 4), _rng.uniform(0, 1, 4)],
    ),
    "sin": (ag.sin, [_r(5)]),
    "cos": (ag.cos, [_r(5)]),
    "tan": (ag.tan, [_r(5, lo=-1.2, hi=1.2)]),
    "arcsin": (ag.arcsin, [_r(5, lo=-0.9, hi=0.9)]),
    "arccos": (ag.arccos, [_r(5, lo=-0.9, hi=0.9)]),
    "arctan": (ag.arctan, [_r(5)]),
    "sinh": (ag.sinh, [_r(5)]),
    "cosh": (ag.cosh, [_r(5)]),
    "arcsinh": (ag.arcsinh, [_r(5)]),
    "arccosh": (ag.arccosh, [_r(5, lo=1.2, hi=3.0)]),
    "arctanh": (ag.arctanh, [_r(5, lo=-0.9, hi=0.9)]),
    "arctan2": (ag.arctan2, [_r(2, 3, away=[0]), _r(3, away=[0])]),
    "hypot": (ag.hypot, [_r(2, 3, away=[0]), _r(3, away=[0])]),
    "log2": (ag.log2, [_pos(4)]),
    "log10": (ag.log10, [_pos(4)]),
    "exp2": (ag.exp2, [_r(4)]),
    "logaddexp": (ag.logaddexp, [_r(2, 3), _r(3)]),
    "logaddexp2": (ag.logaddexp2, [_r(2, 3), _r(3)]),
    "square": (ag.square, [_r(4)]),
    "reciprocal": (ag.reciprocal, [_r(4, away=[0])]),
    # x / y away from the integers, where the remainders jump
    "remainder": (lambda a, b: a % b, [np.array([[2.3, -2.3, 0.4], [5.1, -0.7, 1.2]]), np.array([1.0, -2.0, 0.5])]),
    "fmod": (ag.fmod, [np.array([[2.3, -2.3, 0.4], [5.1, -0.7, 1.2]]), np.array([1.0, -2.0, 0.5])]),
    "floor_divide": (lambda a, b: a // b, [np.array([2.3, -2.3, 0.4]), np.array([1.0, -2.0, 0.5])]),
    "floor": (ag.floor, [_r(5, away=[-2, -1, 0, 1, 2])]),
    "ceil": (ag.ceil, [_r(5, away=[-2, -1, 0, 1, 2])]),
    "trunc": (ag.trunc, [_r(5, away=[-2, -1, 0, 1, 2])]),
    "round": (ag.round, [_r(5, away=[-1.5, -0.5, 0.5, 1.5])]),
    "sign": (ag.sign, [_r(5, away=[0])]),
    # window_max expects a sliding_windows layout: batch..., nwin window-position axes, nwin window axes
    "window_max": (lambda a: R["window_max"](a, nwin=2), [_distinct(2, 2, 3, 2, 2)]),
}


@dataclass
class Case:
    name: str
    kind: str
    fn: object
    inputs: list


@dataclass
class CheckResult:
    name: str
    kind: str
    ok: bool
    detail: str
    seconds: float


def _op_cases():
    cases = []
    for name, op in sorted(REGISTRY.items()):
        if name in OP_SAMPLES:
            fn, inputs = OP_SAMPLES[name]
            cases.append(Case(name, f"op:{op.kind}", fn, inputs))
        else:
            cases.append(Case(name, f"op:{op.kind}", None, []))
    return cases


def _module_case(name, module, x):
    """A layer as a function of its input and every parameter (checked in float64)."""
    params = [p for _, p in module.named_parameters()]

    def fn(xv, *pvals):
        return _through(module, xv, params, pvals)

    return Case(name, "layer", fn, [x, *(np.asarray(p.data, dtype=np.float64) for p in params)])


def _through(module, xv, params, pvals):
    """Run module with its parameters replaced by the Values ``pvals`` (so gradients reach them)."""
    saved = [
        (m, k, m._parameters[k]) for m in module.modules() for k in list(m._parameters) if m._parameters[k] is not None
    ]
    by_id = {id(p): v for p, v in zip(params, pvals)}
    try:
        for m, k, p in saved:
            m.__dict__[k] = by_id.get(id(p), p)
        return module(xv)
    finally:
        for m, k, p in saved:
            m.__dict__[k] = p


def _layer_cases():
    import nn

    cases = []
    specs = [
        ("Linear", lambda: nn.Linear(3, 2, seed=0), _r(4, 3)),
        ("Conv2d", lambda: nn.Conv2d(2, 3, 3, padding=1, stride=2, seed=0), _r(1, 2, 5, 5)),
        ("Conv1d", lambda: nn.Conv1d(2, 2, 3, dilation=2, seed=0), _r(2, 2, 7)),
        ("MaxPool2d", lambda: nn.MaxPool2d(2), _distinct(1, 2, 4, 4)),
        ("AvgPool2d", lambda: nn.AvgPool2d(2, stride=1, padding=1), _r(1, 1, 3, 3)),
        ("BatchNorm1d", lambda: nn.BatchNorm1d(3), _r(5, 3)),
        ("BatchNorm2d", lambda: nn.BatchNorm2d(2), _r(3, 2, 2, 2)),
        ("LayerNorm", lambda: nn.LayerNorm(4), _r(3, 4)),
        ("GroupNorm", lambda: nn.GroupNorm(2, 4), _r(2, 4, 3)),
        ("Flatten", lambda: nn.Flatten(), _r(2, 3, 2)),
    ]
    for name, make, x in specs:
        try:
            module = make()
        except (AttributeError, TypeError) as err:  # a layer not (yet) provided by nn
            cases.append(Case(name, "layer", None, [repr(err)]))
            continue
        cases.append(_module_case(name, module, x))
    return cases


def _activation_cases():
    from .plots import activation_functions

    return [
        Case(name, "activation", fn, [_r(7, away=[-3, -1, 0, 1, 3, 6])]) for name, fn in activation_functions().items()
    ]


def _loss_cases():
    from .. import functional as F

    y = np.array([0, 2, 1])
    logits = _r(3, 4)
    return [
        Case("mse_loss", "loss", lambda a, b: F.mse_loss(a, b), [_r(3, 2), _r(3, 2)]),
        Case("l1_loss", "loss", lambda a: F.l1_loss(a, np.zeros((3, 2))), [_r(3, 2, away=[0])]),
        Case("huber_loss", "loss", lambda a: F.huber_loss(a, np.zeros(5)), [_r(5, away=[-1, 0, 1])]),
        Case("smooth_l1_loss", "loss", lambda a: F.smooth_l1_loss(a, np.zeros(5)), [_r(5, away=[-1, 0, 1])]),
        Case("cross_entropy", "loss", lambda a: F.cross_entropy(a, y), [logits]),
        Case(
            "cross_entropy (soft, smoothed)",
            "loss",
            lambda a, q: F.cross_entropy(a, q, label_smoothing=0.1),
            [logits, _rng.dirichlet(np.ones(4), 3)],
        ),
        Case("nll_loss", "loss", lambda a: F.nll_loss(ag.log_softmax(a, axis=1), y), [logits]),
        Case(
            "binary_cross_entropy",
            "loss",
            lambda p: F.binary_cross_entropy(p, np.array([0.0, 1.0, 1.0])),
            [_rng.uniform(0.1, 0.9, 3)],
        ),
        Case(
            "binary_cross_entropy_with_logits",
            "loss",
            lambda a, t: F.binary_cross_entropy_with_logits(a, t),
            [_r(4), _rng.uniform(0, 1, 4)],
        ),
    ]


def all_cases():
    """Every built-in check: registered ops, then layers, activations and losses."""
    return _op_cases() + _layer_cases() + _activation_cases() + _loss_cases()


def run_checks(fast=False, second_order=False, only=None, cases=None):
    """Run the checks (``only``: substring filter on names); returns a list of CheckResult."""
    results = []
    for case in all_cases() if cases is None else cases:
        if only and only not in case.name:
            continue
        t0 = time.perf_counter()
        if case.fn is None:
            why = case.inputs[0] if case.inputs else "no sample input: add one to nn/checks.py OP_SAMPLES"
            results.append(CheckResult(case.name, case.kind, False, f"missing ({why})", 0.0))
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gradcheck(case.fn, case.inputs, fast=fast)
                if second_order and case.kind.startswith("op"):
                    gradgradcheck(case.fn, case.inputs, fast=fast)
            ok, detail = True, "ok"
        except Exception as err:  # report every failure in the table, whatever its type
            ok, detail = False, f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
        results.append(CheckResult(case.name, case.kind, ok, detail, time.perf_counter() - t0))
    return results


def format_table(results):
    """A plain-text table: name, kind, result, milliseconds."""
    w = max([len(r.name) for r in results] + [4])
    k = max([len(r.kind) for r in results] + [4])
    lines = [f"{'check':<{w}}  {'kind':<{k}}  {'result':<6}  {'ms':>7}  detail", "-" * (w + k + 30)]
    for r in results:
        status = "ok" if r.ok else "FAIL"
        detail = "" if r.ok else r.detail[:100]
        lines.append(f"{r.name:<{w}}  {r.kind:<{k}}  {status:<6}  {1000 * r.seconds:7.1f}  {detail}".rstrip())
    n_fail = sum(not r.ok for r in results)
    lines.append("-" * (w + k + 30))
    lines.append(f"{len(results) - n_fail} passed, {n_fail} failed, {len(results)} checks")
    return "\n".join(lines)
