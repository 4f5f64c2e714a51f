"""nn.functional_call: a module as a function of given parameters, as torch.func.functional_call."""

import numpy as np
import pytest
import torch

import nn
from autograd_core import Value
from autograd_core.functional import grad


def _model():
    return nn.Sequential(
        nn.Linear(3, 4, dtype=np.float64, seed=0), nn.Tanh(), nn.Linear(4, 2, dtype=np.float64, seed=1)
    )


def test_gradient_reaches_the_given_values_and_matches_torch():
    model = _model()
    x = np.random.default_rng(0).standard_normal((5, 3))
    w = Value(np.random.default_rng(1).standard_normal((4, 3)))
    out = nn.functional_call(model, {"0.weight": w}, (x,))
    out.sum().backward()
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    with torch.no_grad():
        for (_, tp), (_, p) in zip(tm.named_parameters(), model.named_parameters()):
            tp.copy_(torch.tensor(p.data))
    tw = torch.tensor(w.data, requires_grad=True)
    tout = torch.func.functional_call(tm, {"0.weight": tw}, (torch.from_numpy(x),))
    tout.sum().backward()
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-10)
    assert model[0].weight.grad is None  # the module's own parameter took no part


def test_the_module_is_restored_also_when_forward_raises():
    model = _model()
    weight = model[0].weight
    with pytest.raises(ValueError):
        nn.functional_call(model, {"0.weight": Value(np.ones((4, 5)))}, np.ones((2, 3)))
    assert model[0].weight is weight and dict(model.named_parameters())["0.weight"] is weight


def test_works_with_the_functional_transforms():
    model, x = _model(), np.ones((1, 3))
    b = model[2].bias.data.copy()
    g = grad(lambda bias: nn.functional_call(model, {"2.bias": bias}, x).sum())(b)
    np.testing.assert_allclose(g, np.ones(2))


def test_unknown_names_are_listed():
    with pytest.raises(KeyError, match=r"\['0.wieght'\].*0\.weight"):
        nn.functional_call(_model(), {"0.wieght": np.ones((4, 3))}, np.ones((1, 3)))
    with pytest.raises(TypeError, match=r"nn\.Module"):
        nn.functional_call(lambda x: x, {}, 1.0)
