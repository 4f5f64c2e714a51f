"""Testing gradients, your own ops included: hypothesis strategies, assertions and the op database.

Needs ``hypothesis``, a test-only dependency: ``pip install "autograd-core[test]"``
(``import autograd_core`` never imports this package)::

    from hypothesis import given
    from autograd_core.testing import arrays, assert_gradients_match

    @given(arrays(max_dims=2, away_from=(0,)))
    def test_my_op(x):
        assert_gradients_match(my_op, x, second_order=True)

- :mod:`.strategies`: ``arrays``, ``shapes``, ``broadcastable_shapes``/``broadcastable_arrays``,
  ``axes_for``, ``elements``, ``away_from`` and ``assert_gradients_match``.
- The op database (:mod:`autograd_core.opdb`, importable without hypothesis): ``check_op(name)``
  checks a registered op on its fixed sample, ``op_names()`` lists the entries, ``op_info(name)``
  gives an entry (its ``strategy()`` draws inputs for your own property tests).
"""

try:
    import hypothesis
except ImportError as err:  # say how to get it, as the other optional parts do
    raise ImportError(
        'autograd_core.testing needs hypothesis, a test-only dependency: pip install "autograd-core[test]" '
        "(or pip install hypothesis)"
    ) from err

from ..opdb import OpInfo, check_op
from ..opdb import get as op_info
from ..opdb import names as op_names
from . import strategies
from .strategies import (
    arrays,
    assert_gradients_match,
    away_from,
    axes_for,
    broadcastable_arrays,
    broadcastable_shapes,
    elements,
    shapes,
)

__all__ = ["OpInfo", "check_op", "op_info", "op_names", *strategies.__all__]
