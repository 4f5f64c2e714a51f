"""Faults a new user met, each as the kind of fault: errors that say what is wrong and what to do,
numpy's keyword spellings, micrograd's draw_dot signature, torch tensors as data, one report in
anomaly mode."""

import warnings

import numpy as np
import pytest
import torch

import autograd_core as ag
import nn
from autograd_core.errors import AnomalyError, GraphError, NotDifferentiableError, ShapeError


def test_ragged_nested_lists_name_the_problem():
    """numpy's bare "inhomogeneous shape" becomes ours: ragged rows, and what to do."""
    with pytest.raises(ShapeError, match=r"ragged.*same length"):
        ag.Value([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("axis", ["x", (0, "a"), 1.0])
def test_an_axis_that_is_no_int_says_so(axis):
    """Not Python's "'<=' not supported between 'int' and 'str'"."""
    x = ag.Value(np.ones((2, 3)))
    with pytest.raises(TypeError, match="axis/dim must be an int, a tuple of ints or None"):
        x.sum(dim=axis)
    with pytest.raises(TypeError, match="axis/dim must be an int"):
        ag.mean(x, axis=axis)


@pytest.mark.parametrize("returned", [None, "g"])
def test_a_vjp_returning_no_array_is_named(returned):
    """A custom op's vjp that returns None or a string: the op, the input and what it must return."""
    op = ag.defop(f"vjp_returns_{returned}", lambda a: a * 2, lambda g, out, a: returned, replace=True)
    x = ag.Value(np.ones(3))
    with pytest.raises(
        GraphError, match=rf"vjp of op 'vjp_returns_{returned}' returned .* for input 0: it must return"
    ):
        op(x).sum().backward()


def test_refused_numpy_functions_and_hessian_name_themselves():
    """``numpy.linalg.matrix_rank``, not ``numpy.matrix_rank``; hessian's argument errors name hessian."""
    x = ag.Value(np.eye(3))
    with pytest.raises(NotDifferentiableError, match=r"^numpy\.linalg\.matrix_rank is not supported"):
        np.linalg.matrix_rank(x)
    with pytest.raises(TypeError, match=r"^hessian: argument 0 has dtype int64"):
        ag.hessian(lambda a: (a * a).sum())(np.ones(3, int))
    np.testing.assert_allclose(ag.hessian(lambda a: (a * a).sum())(np.ones(3)), 2 * np.eye(3))


def test_numpy_keyword_spellings():
    """``constant_values`` beside ``value`` (np.pad), ``a_min``/``a_max`` beside ``min``/``max`` (np.clip)."""
    x = ag.Value(np.arange(3.0))
    np.testing.assert_array_equal(
        ag.pad(x, 1, constant_values=3.0).data, np.pad(np.arange(3.0), 1, constant_values=3.0)
    )
    np.testing.assert_array_equal(ag.clip(x, a_min=0.5, a_max=1.5).data, np.clip(np.arange(3.0), 0.5, 1.5))
    with pytest.raises(TypeError, match="two spellings"):
        ag.pad(x, 1, 2.0, constant_values=3.0)
    with pytest.raises(TypeError, match="mode='reflect' is not supported"):
        ag.pad(x, 1, mode="reflect")


def test_draw_dot_takes_micrographs_signature():
    """micrograd's ``draw_dot(root, format='svg', rankdir='LR')``: format sets the graph's output format."""
    out = ag.Value(2.0) * ag.Value(3.0)
    g = ag.draw_dot(out, format="png", rankdir="TB")
    assert g.format == "png" and g.graph_attr["rankdir"] == "TB"
    assert ag.draw_dot(out).format == "svg"


def test_torch_tensors_convert_without_numpys_copy_warning():
    """numpy 2 warns when ``__array__`` ignores ``copy=``; tensors convert through ``.numpy()`` instead."""
    t = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v, p = ag.Value(t), nn.Parameter(torch.ones(2))
    assert v.dtype == np.float32 and p.shape == (2,)
    np.testing.assert_array_equal(v.data, t.detach().numpy())


def test_anomaly_mode_reports_a_domain_error_once():
    """Inside detect_anomaly, log(0) raises AnomalyError and emits no RuntimeWarning before it."""
    with warnings.catch_warnings(), ag.detect_anomaly():
        warnings.simplefilter("error")
        with pytest.raises(AnomalyError, match="log"):
            ag.log(ag.Value(0.0))
    with pytest.warns(RuntimeWarning, match="log: divide by zero"):
        ag.log(ag.Value(0.0))
