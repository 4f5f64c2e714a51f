"""Op database entries: ops.special (stable softplus, softmax family, fused losses) and the fused
primitives (window_max, linear)."""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st
from opdb_base import case, unary

import autograd_core as ag
from autograd_core import window_max
from autograd_core.ops.linear import _linear, _linear_nobias
from autograd_core.testing import arrays, shapes

case("softplus", unary(), ag.softplus, F.softplus)
case("log_sigmoid", unary(), ag.log_sigmoid, F.logsigmoid)
case("expm1", unary(), ag.expm1, torch.expm1)
case("log1p", unary(min_value=-0.7), ag.log1p, torch.log1p)
case("erf", unary(), ag.erf, torch.erf)


@st.composite
def _axis_inputs(draw, n=1, second=None):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    xs = [draw(arrays(shape))]
    if second is not None:
        xs.append(draw(arrays(shape, **second)))
    return xs, {"axis": axis}


case("softmax", _axis_inputs(), ag.softmax, lambda x, axis: torch.softmax(x, dim=axis))
case("log_softmax", _axis_inputs(), ag.log_softmax, lambda x, axis: torch.log_softmax(x, dim=axis))
case(
    "softmax_cross_entropy",
    _axis_inputs(second={"min_value": 0.0, "max_value": 1.0}),
    ag.softmax_cross_entropy,
    lambda x, q, axis: -(q * torch.log_softmax(x, dim=axis)).sum(dim=axis),
)


@st.composite
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


case("softmax_nll", _nll_inputs(), ag.softmax_nll, _torch_softmax_nll)


@st.composite
def _sigmoid_xent_inputs(draw):
    shape = draw(shapes(max_dims=3, max_side=3))
    xs = [draw(arrays(shape)), draw(arrays(shape, min_value=0.0, max_value=1.0))]
    pos_weight = draw(st.sampled_from([None, 2.0, 0.5]))
    return xs, {"pos_weight": pos_weight}


def _torch_sigmoid_xent(x, t, pos_weight):
    pw = None if pos_weight is None else torch.tensor(pos_weight, dtype=torch.float64)
    return F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, reduction="none")


case("sigmoid_cross_entropy", _sigmoid_xent_inputs(), ag.sigmoid_cross_entropy, _torch_sigmoid_xent)


@st.composite
def _bce_inputs(draw):
    shape = draw(shapes(max_dims=3, max_side=3))
    return [draw(arrays(shape, min_value=0.05, max_value=0.95)), draw(arrays(shape, min_value=0.0, max_value=1.0))], {}


case(
    "binary_cross_entropy",
    _bce_inputs(),
    ag.binary_cross_entropy,
    lambda p, t: -(t * torch.log(p) + (1 - t) * torch.log(1 - p)),
)


@st.composite
def _window_max_inputs(draw):
    nwin = draw(st.integers(1, 2))  # a windows layout: (*batch, *window counts, *window), nwin of each
    shape = draw(shapes(min_dims=2 * nwin, max_dims=2 * nwin + 1, max_side=3 if nwin == 1 else 2))
    n = int(np.prod(shape, dtype=np.int64))
    vals = draw(st.lists(st.integers(-60, 60), min_size=n, max_size=n, unique=True))  # no ties
    return [np.array(vals, dtype=np.float64).reshape(shape) * 0.1], {"nwin": nwin}


case(
    "window_max",
    _window_max_inputs(),
    lambda x, nwin: window_max(x, nwin=nwin),
    lambda x, nwin: torch.amax(x, dim=tuple(range(x.ndim - nwin, x.ndim))),
)


@st.composite
def _linear_inputs(draw, bias=True):
    batch = draw(shapes(0, 2, max_side=3))
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    xs = [draw(arrays((*batch, n_in))), draw(arrays((n_out, n_in)))]
    if bias:
        xs.append(draw(arrays((n_out,))))
    return xs, {}


case("linear", _linear_inputs(), _linear, F.linear)
case("linear_nobias", _linear_inputs(bias=False), _linear_nobias, F.linear)
