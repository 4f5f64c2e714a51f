"""Every registered op at its special points (autograd_core/opdb/special_points/): 0, +-inf, domain
edges, ties and equal bounds, each with a zero, a unit and a mixed cotangent, against the maths or
PyTorch. A new op fails here until it declares its special points."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import Value
from autograd_core.opdb import BY_NAME
from autograd_core.opdb.special_points import POINTS

CASES = [(name, i, p) for name in sorted(POINTS) for i, p in enumerate(POINTS[name])]


def test_every_registered_op_declares_its_special_points():
    missing = sorted(n for n, op in ag.REGISTRY.items() if op.kind != "custom" and n not in POINTS)
    assert not missing, f"declare special points in autograd_core/opdb/special_points/ for: {missing}"
    unknown = sorted(n for n in POINTS if n not in ag.REGISTRY)
    assert not unknown, f"special points for ops that are not registered: {unknown}"


def _cotangents(shape):
    n = int(np.prod(shape, dtype=np.int64))
    mixed = np.resize([1.5, -0.5, 2.0, 0.0, -1.0], n).reshape(shape)
    return {"zero": np.zeros(shape), "unit": np.ones(shape), "mixed": mixed}


def _is_float(x):
    return np.asarray(x).dtype.kind == "f"


def _ours(name, inputs, params, cot):
    vs = [Value(x) if _is_float(x) else x for x in inputs]
    with np.errstate(all="ignore"):  # the points are where numpy warns; the values are what count
        out = BY_NAME[name].call(*vs, **params)
        live = [v for v in vs if isinstance(v, Value)]
        grads = ag.gradients(out, live, cot, allow_unused=True)
    return out.data, [np.zeros(v.shape) if g is None else g.data for v, g in zip(live, grads)]


def _torch(name, inputs, params, cot):
    ts = [torch.tensor(x, requires_grad=_is_float(x)) for x in inputs]
    out = BY_NAME[name].torch_fn()(*ts, **params)
    live = [t for t in ts if t.requires_grad]
    grads = torch.autograd.grad(out, live, torch.from_numpy(cot), allow_unused=True)
    return out.detach().numpy(), [np.zeros(t.shape) if g is None else g.numpy() for t, g in zip(live, grads)]


def _expected(name, point, cot):
    if point.grads == "torch":
        return _torch(name, point.inputs, point.params, cot)
    if point.grads == "linear":
        zeros = [np.zeros_like(x) if _is_float(x) else x for x in point.inputs]
        return None, _ours(name, zeros, point.params, cot)[1]
    with np.errstate(all="ignore"):  # 0 * inf = NaN is meant: the chain rule at a missing derivative
        grads = [_vjp(cot, j) for j in point.grads if j is not None]
    return point.value, grads


def _vjp(cot, jac):
    """c . J by broadcasting and summing (BLAS, as np.tensordot uses, may skip zeros and hide a NaN)."""
    c = cot.reshape(cot.shape + (1,) * (jac.ndim - cot.ndim))
    return (c * jac).sum(axis=tuple(range(cot.ndim)))


def _same(got, want, what):
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, equal_nan=True, err_msg=what)


@pytest.mark.parametrize(("name", "i", "point"), CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_special_point(name, i, point):
    for kind, cot in _cotangents(_out_shape(name, point)).items():
        got_value, got = _ours(name, point.inputs, point.params, cot)
        want_value, want = _expected(name, point, cot)
        what = f"{name} at {point.inputs} {point.params} ({point.why}), {kind} cotangent"
        if want_value is not None and not isinstance(want_value, str):
            _same(got_value, want_value, f"value of {what}")
        assert len(got) == len(want)
        for k, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"gradient {k} of {what}")


def _out_shape(name, point):
    vs = [Value(x) if _is_float(x) else x for x in point.inputs]
    with np.errstate(all="ignore"):
        return BY_NAME[name].call(*vs, **point.params).shape
