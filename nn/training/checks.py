"""The built-in gradient checks behind ``autograd-core gradcheck``.

Registered primitives are checked on their fixed samples from the engine's op database
(:mod:`autograd_core.opdb`, one entry per op: add an op's entry there, not here); a registered op
without an entry, or an entry naming no registered op, is reported as a failed check. Layers,
activations and losses from ``nn`` are checked here as whole functions of their inputs and
parameters, on float64 samples kept away from kinks.
"""

import time
import warnings
from dataclasses import dataclass

import numpy as np

import autograd_core as ag
from autograd_core import REGISTRY, gradcheck, gradgradcheck, opdb
from autograd_core.opdb.samples import distinct, probabilities, uniform

__all__ = ["CheckResult", "all_cases", "check_names", "run_checks"]

_rng = np.random.default_rng(0)


def _r(*shape, lo=-2.0, hi=2.0, away=()):
    return uniform(*shape, lo=lo, hi=hi, away=away, rng=_rng)


def _distinct(*shape):
    return distinct(*shape, rng=_rng)


@dataclass
class Case:
    """One check: ``fn(*inputs)`` gradchecked (and with ``second_order``, gradgradchecked on request).

    ``fn`` None marks a missing check; ``inputs[0]`` then says why.
    """

    name: str
    kind: str
    fn: object
    inputs: list
    second_order: bool = False


@dataclass
class CheckResult:
    """The outcome of one check: its name and kind, ok, a one-line detail and the seconds it took."""

    name: str
    kind: str
    ok: bool
    detail: str
    seconds: float


def _op_cases():
    """One case per registered op, from its op database sample; missing and stray entries as failures.

    A user's op (kind "custom") is checked when it has an entry and skipped otherwise, as in the sweep.
    """
    cases = []
    for name, op in sorted(REGISTRY.items()):
        info = opdb.BY_NAME.get(name)
        if info is None and op.kind == "custom":
            continue
        if info is None:
            why = "no op database entry: add one in autograd_core/opdb/ (see its docstring)"
            cases.append(Case(name, f"op:{op.kind}", None, [why]))
            continue
        arrays, params = info.sample
        cases.append(Case(name, f"op:{op.kind}", info.bind(params), arrays, info.second_order))
    for name in opdb.coverage()[1]:
        cases.append(Case(name, "op:?", None, ["an op database entry naming no registered op"]))
    return cases


def _module_case(name, module, x, second_order=False):
    """A layer as a function of its input and every parameter (checked in float64)."""
    from nn.stateless import functional_call

    module.double()  # layers compute in their parameters' dtype (nn/dtypes.py): make it float64
    named = list(module.named_parameters())
    params = [p for _, p in named]

    def fn(xv, *pvals):
        return functional_call(module, {k: v for (k, _), v in zip(named, pvals)}, xv)

    return Case(name, "layer", fn, [x, *(np.asarray(p.numpy(), dtype=np.float64) for p in params)], second_order)


def _layer_cases():
    import nn
    from nn.stateless import functional_call

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
        (
            "ConvTranspose2d",
            lambda: nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2, seed=0),
            _r(1, 2, 3, 2),
            True,
        ),
        ("ConvTranspose1d", lambda: nn.ConvTranspose1d(2, 3, 2, stride=2, dilation=2, seed=0), _r(2, 2, 4), True),
        ("Upsample (bilinear)", lambda: nn.Upsample(scale_factor=1.5, mode="bilinear"), _r(1, 2, 3, 2), True),
        ("Upsample (nearest)", lambda: nn.Upsample(size=(4, 5)), _r(1, 1, 3, 2), True),
        ("Unfold", lambda: nn.Unfold(2, padding=1, stride=2), _r(1, 2, 3, 4), True),
        ("Fold", lambda: nn.Fold((3, 4), 2, padding=1, stride=2), _r(1, 8, 6), True),
    ]
    for name, make, x, *second in specs:  # a fourth entry True: also gradgradchecked on request
        try:
            module = make()
        except (AttributeError, TypeError) as err:  # a layer not (yet) provided by nn
            cases.append(Case(name, "layer", None, [repr(err)]))
            continue
        cases.append(_module_case(name, module, x, bool(second and second[0])))
    emb = nn.Embedding(5, 3, seed=0)  # integer input: checked as a function of the weight alone
    idx = np.array([[0, 4, 4], [2, 1, 0]])
    cases.append(
        Case("Embedding", "layer", lambda w: functional_call(emb, {"weight": w}, idx), [_r(5, 3)], second_order=True)
    )
    return cases


def _activation_cases():
    from .plots import activation_functions

    return [
        Case(name, "activation", fn, [_r(7, away=[-3, -1, -0.5, 0, 0.5, 1, 3, 6])])
        for name, fn in activation_functions().items()
    ]


def _loss_cases():
    from .. import functional as F

    y = np.array([0, 2, 1])
    logits = _r(3, 4)
    pm = np.array([[1.0, -1, 1, -1], [-1, 1, -1, 1], [1, 1, -1, -1]])  # +-1 labels
    return [
        Case("mse_loss", "loss", lambda a, b: F.mse_loss(a, b), [_r(3, 2), _r(3, 2)]),
        Case("l1_loss", "loss", lambda a: F.l1_loss(a, np.zeros((3, 2))), [_r(3, 2, away=[0])]),
        Case("huber_loss", "loss", lambda a: F.huber_loss(a, np.zeros(5)), [_r(5, away=[-1, 0, 1])]),
        Case("smooth_l1_loss", "loss", lambda a: F.smooth_l1_loss(a, np.zeros(5)), [_r(5, away=[-1, 0, 1])]),
        Case("cross_entropy", "loss", lambda a: F.cross_entropy(a, y), [logits]),
        Case(
            "cross_entropy (soft targets + smoothing)",
            "loss",
            lambda a, q: F.cross_entropy(a, q, label_smoothing=0.1),
            [logits, probabilities(3, 4, rng=_rng)],
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
        Case("margin_ranking_loss", "loss", F.margin_ranking_loss, [_r(5), _r(5), np.array([1.0, -1, 1, -1, 1])]),
        Case("hinge_embedding_loss", "loss", lambda a: F.hinge_embedding_loss(a, pm), [_r(3, 4, away=[1])]),
        Case("soft_margin_loss", "loss", lambda a: F.soft_margin_loss(a, pm), [_r(3, 4)]),
        Case(
            "multilabel_soft_margin_loss",
            "loss",
            F.multilabel_soft_margin_loss,
            [_r(3, 4), probabilities(3, 4, rng=_rng)],
        ),
        Case(
            "cosine_embedding_loss", "loss", lambda a, b: F.cosine_embedding_loss(a, b, pm[:, 0]), [_r(3, 4), _r(3, 4)]
        ),
        Case("multi_margin_loss (p=2)", "loss", lambda a: F.multi_margin_loss(a, y, p=2), [logits]),
        Case("pairwise_distance", "loss", F.pairwise_distance, [_r(3, 4), _r(3, 4)]),
        Case(
            "triplet_margin_loss (swap)",
            "loss",
            lambda a, p, n: F.triplet_margin_loss(a, p, n, swap=True),
            [_r(3, 4), _r(3, 4), _r(3, 4)],
        ),
        Case(
            "poisson_nll_loss (full)",
            "loss",
            lambda a, t: F.poisson_nll_loss(a, t, full=True),
            [_r(5), _rng.uniform(0, 4, 5)],
        ),
        Case("gaussian_nll_loss", "loss", F.gaussian_nll_loss, [_r(3, 2), _r(3, 2), _rng.uniform(0.5, 2, (3, 1))]),
    ]


def all_cases():
    """Every built-in check: registered ops, then layers, activations and losses."""
    return _op_cases() + _layer_cases() + _activation_cases() + _loss_cases()


def check_names(cases=None):
    """The names of every built-in check (or of ``cases``), in order."""
    return [case.name for case in (all_cases() if cases is None else cases)]


def matches(name, only):
    """Whether check ``name`` is selected by the filter ``only``: a case-insensitive substring (None: all)."""
    return not only or only.casefold() in name.casefold()


def run_checks(fast=False, second_order=False, only=None, cases=None):
    """Run the checks and return a list of CheckResult.

    ``only``: run only checks whose name contains it, ignoring case (``"conv"`` selects Conv1d and
    Conv2d); ``second_order``: also gradgradcheck the ops whose database entry asks for it;
    ``cases``: the checks to run (default :func:`all_cases`).
    """
    results = []
    for case in all_cases() if cases is None else cases:
        if not matches(case.name, only):
            continue
        t0 = time.perf_counter()
        if case.fn is None:
            results.append(CheckResult(case.name, case.kind, False, f"missing ({case.inputs[0]})", 0.0))
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gradcheck(case.fn, case.inputs, fast=fast)
                if second_order and case.second_order:
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
