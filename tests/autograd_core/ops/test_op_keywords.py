"""Keywords of op calls: a misspelt one names the public op and the closest keyword it takes (never a
private forward such as ``_sum()``), and numpy's ``dtype=`` of reductions and scans accumulates in it."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value
from autograd_core.opdb import BY_NAME

OPS = sorted(n for n, op in ag.REGISTRY.items() if op.kind != "custom" and n in BY_NAME)


@pytest.mark.parametrize("name", OPS)
def test_a_misspelt_keyword_names_the_op(name):
    op, (args, kwargs) = ag.REGISTRY[name], BY_NAME[name].sample
    try:
        op(*args, **kwargs)
    except TypeError:  # sampled through its public function (clip's min=/max= for the op's lo/hi): call that
        op = getattr(ag, name)
    with pytest.raises(TypeError, match=rf"^{name}\(\) got an unexpected keyword argument 'kepdims'") as err:
        op(*args, **kwargs, kepdims=True)
    assert "_" not in str(err.value).split("(")[0].replace(name, "")


def test_the_closest_keyword_is_suggested():
    with pytest.raises(TypeError, match="did you mean 'keepdims'"):
        ag.sum(np.ones(3), kepdims=True)


@pytest.mark.parametrize(
    "call",
    [
        lambda x, **k: ag.sum(x, axis=1, **k),
        lambda x, **k: ag.mean(x, **k),
        lambda x, **k: ag.prod(x, axis=0, **k),
        lambda x, **k: ag.cumsum(x, axis=1, **k),
        lambda x, **k: ag.cumprod(x, **k),
        lambda x, **k: x.sum(dim=0, **k),
        lambda x, **k: x.mean(**k),
    ],
)
def test_reductions_and_scans_take_numpys_dtype(call):
    x = Value(np.arange(1.0, 7.0).reshape(2, 3))
    out = call(x, dtype=np.float32)
    want = call(Value(x.data.astype(np.float32)))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, np.asarray(getattr(want, "data", want)))
    out.sum().backward()
    assert x.grad.dtype == np.float64  # the gradient is cast back to the input's dtype
    assert call(x, dtype=None).dtype == np.float64
