"""The sweep for ops written as compositions of primitives (not registry entries of their own): a
table ``name -> (draw, ours, torch twin or None)`` becomes two tests, first and second derivatives
against finite differences over drawn inputs, and values and gradients against PyTorch float64.

``draw(draw) -> (arrays, params)`` is a hypothesis draw function; ``ours(*values, **params)`` and
``twin(*tensors, **params)`` give one Value/tensor (a twin may return None where PyTorch has no
counterpart for those params). Used by test_arrange.py, test_joining.py, test_stats.py, ...
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Value
from autograd_core.gradcheck import gradcheck, gradgradcheck


def flat_cat(pieces):
    """A tuple of pieces as one flat Value/tensor (so one gradient covers every piece)."""
    if isinstance(pieces[0], torch.Tensor):
        return torch.cat([p.reshape(-1) for p in pieces])
    return ag.concatenate([p.reshape(-1) for p in pieces])


def make_tests(cases, tol=None):
    """The two sweep tests over ``cases`` (assign them to module-level ``test_*`` names).

    ``tol``: name -> (gradcheck keywords, (rtol, atol) against PyTorch) for cases that need looser ones.
    """
    tol = tol or {}

    @pytest.mark.parametrize("name", cases)
    @settings(max_examples=max(settings.default.max_examples * 2 // 5, 1))
    @given(data=st.data())
    def test_first_and_second_derivatives_against_finite_differences(name, data):
        draw, ours, _ = cases[name]
        xs, params = data.draw(st.composite(lambda d: draw(d))())
        f = lambda *vs: ours(*vs, **params)
        opts = tol.get(name, ({}, None))[0]
        gradcheck(f, xs, **opts)
        gradgradcheck(f, xs, **opts)

    @pytest.mark.parametrize("name", [n for n, c in cases.items() if c[2] is not None])
    @given(data=st.data())
    def test_values_and_gradients_against_pytorch(name, data):
        draw, ours, twin = cases[name]
        xs, params = data.draw(st.composite(lambda d: draw(d))())
        rtol, atol = tol.get(name, ({}, None))[1] or (1e-12, 1e-12)
        ts = [torch.tensor(x, requires_grad=np.asarray(x).dtype.kind == "f") for x in xs]
        want = twin(*ts, **params)
        if want is None:
            return
        vs = [Value(x) if np.asarray(x).dtype.kind == "f" else x for x in xs]
        out = ours(*vs, **params)
        np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=rtol, atol=atol)
        if out.size == 0:
            return
        cot = np.random.default_rng(0).standard_normal(out.shape)
        live = [(v, t, x) for v, t, x in zip(vs, ts, xs) if isinstance(v, Value)]
        got = ag.gradients(out, [v for v, _, _ in live], cot, allow_unused=True)
        expected = torch.autograd.grad(want, [t for _, t, _ in live], torch.from_numpy(cot), allow_unused=True)
        for g, e, (_, _, x) in zip(got, expected, live):
            g = np.zeros(np.shape(x)) if g is None else g.data
            e = np.zeros(np.shape(x)) if e is None else e.numpy()
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol)

    return test_first_and_second_derivatives_against_finite_differences, test_values_and_gradients_against_pytorch
