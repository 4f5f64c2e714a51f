"""Op database entries: the softmax family and the fused losses from logits (ops.special)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, shapes, st
from .info import OpInfo, torch
from .samples import probabilities, uniform


def _axis_inputs(second=None):
    """Draw function: x (at least 1-d) and an axis; with ``second`` (arrays keywords), a second array of x's shape."""

    def inputs(draw):
        shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
        xs = [draw(arrays(shape))]
        if second is not None:
            xs.append(draw(arrays(shape, **second)))
        return xs, {"axis": draw(st.integers(-len(shape), len(shape) - 1))}

    return inputs


def _nll_inputs(draw):
    """Logits (C,), (N, C) or (N, C, d) with integer targets, per-sample weights and a reduction."""
    c = draw(st.integers(1, 3))
    shape = draw(st.sampled_from([(c,), (2, c), (3, c), (2, c, 2)]))
    axis = 0 if len(shape) == 1 else 1
    tshape = shape[:axis] + shape[axis + 1 :]
    target = np.asarray(draw(arrays(tshape, dtype=np.int64, min_value=0, max_value=c - 1)))
    weight = draw(st.sampled_from([None, np.linspace(0.5, 1.5, max(int(np.prod(tshape)), 1)).reshape(tshape)]))
    reduction = draw(st.sampled_from(["none", "sum", "mean"]))
    params = {"target": target, "weight": weight, "axis": axis, "reduction": reduction, "denom": 2.0}
    return [draw(arrays(shape))], params


def _torch_softmax_nll(x, target, weight, axis, reduction, denom):
    logp = torch.log_softmax(x, dim=axis)
    per = -torch.gather(logp, axis, torch.tensor(target).unsqueeze(axis)).squeeze(axis)
    if weight is not None:
        per = per * torch.tensor(weight)
    return per if reduction == "none" else per.sum() / (denom if reduction == "mean" else 1.0)


def _sigmoid_xent_inputs(draw):
    shape = draw(shapes(max_dims=3, max_side=3))
    xs = [draw(arrays(shape)), draw(arrays(shape, min_value=0.0, max_value=1.0))]
    return xs, {"pos_weight": draw(st.sampled_from([None, 2.0, 0.5]))}


def _torch_sigmoid_xent(x, t, pos_weight):
    pw = None if pos_weight is None else torch.tensor(pos_weight, dtype=torch.float64)
    return torch.nn.functional.binary_cross_entropy_with_logits(x, t, pos_weight=pw, reduction="none")


def _bce_inputs(draw):
    shape = draw(shapes(max_dims=3, max_side=3))
    return [draw(arrays(shape, min_value=0.05, max_value=0.95)), draw(arrays(shape, min_value=0.0, max_value=1.0))], {}


ENTRIES = [
    OpInfo(
        "softmax",
        ag.softmax,
        sample=([uniform(2, 4)], {"axis": -1}),
        inputs=_axis_inputs(),
        torch=lambda x, axis: torch.softmax(x, dim=axis),
    ),
    OpInfo(
        "log_softmax",
        ag.log_softmax,
        sample=([uniform(3, 2)], {"axis": 0}),
        inputs=_axis_inputs(),
        torch=lambda x, axis: torch.log_softmax(x, dim=axis),
    ),
    OpInfo(
        "softmax_cross_entropy",
        ag.softmax_cross_entropy,
        sample=([uniform(3, 4), probabilities(3, 4)], {"axis": -1}),
        inputs=_axis_inputs(second={"min_value": 0.0, "max_value": 1.0}),
        torch=lambda x, q, axis: -(q * torch.log_softmax(x, dim=axis)).sum(dim=axis),
    ),
    OpInfo(
        "softmax_nll",
        ag.softmax_nll,
        sample=(
            [uniform(3, 4)],
            {"target": np.array([1, 0, 3]), "weight": np.array([1.0, 0.5, 2.0]), "reduction": "sum"},
        ),
        inputs=_nll_inputs,
        torch=_torch_softmax_nll,
    ),
    OpInfo(
        "sigmoid_cross_entropy",
        ag.sigmoid_cross_entropy,
        sample=([uniform(4), uniform(4, lo=0.0, hi=1.0)], {"pos_weight": None}),
        inputs=_sigmoid_xent_inputs,
        torch=_torch_sigmoid_xent,
    ),
    OpInfo(
        "binary_cross_entropy",
        ag.binary_cross_entropy,
        sample=([uniform(4, lo=0.1, hi=0.9), uniform(4, lo=0.0, hi=1.0)], {}),
        inputs=_bce_inputs,
        torch=lambda p, t: -(t * torch.log(p) + (1 - t) * torch.log(1 - p)),
    ),
]
