"""OpInfo, one entry of the op database, and the lazy imports that keep the database free of test extras.

Importing the database needs only numpy: hypothesis (the strategies) and torch (the twins) are
test-only and are imported the first time an entry's :meth:`OpInfo.strategy` or
:meth:`OpInfo.torch_fn` is used.
"""

import importlib
from dataclasses import dataclass, field

__all__ = ["EXTRA_HINT", "LazyModule", "OpInfo"]

EXTRA_HINT = 'pip install "autograd-core[test]"'


class LazyModule:
    """A module imported on first attribute access, with an ImportError naming the extra to install.

    ``st = LazyModule("hypothesis.strategies")`` lets an entry's draw function read ``st.integers(...)``
    while importing the database imports nothing.
    """

    def __init__(self, name):
        self._name = name
        self._module = None

    def __getattr__(self, attr):
        if attr.startswith("__"):  # copy, pickle and introspection probe dunders: not the module's
            raise AttributeError(attr)
        if self._module is None:
            try:
                self._module = importlib.import_module(self._name)
            except ImportError as err:
                raise ImportError(
                    f"the op database's strategies and PyTorch twins need {self._name.split('.')[0]}, "
                    f"a test-only dependency: {EXTRA_HINT}"
                ) from err
        return getattr(self._module, attr)

    def __repr__(self):
        return f"LazyModule({self._name!r})"


torch = LazyModule("torch")
_st = LazyModule("hypothesis.strategies")


@dataclass(eq=False)
class OpInfo:
    """One op database entry: how to call, sample, draw and cross-check one registered primitive.

    **Arguments:**

    - ``name``: the ``REGISTRY`` name this entry covers (one entry per registered op).
    - ``call``: ``call(*values, **params) -> Value``, the op reached through the public API
      (``ag.exp``, an operator, a method) so the sweep also tests the binding.
    - ``sample``: ``(arrays, params)``, a fixed small float64 example, values away from kinks and
      domain edges; ``autograd-core gradcheck`` and :func:`check_op` use it, without hypothesis.
      Float arrays are differentiated; integer and bool arrays are constants.
    - ``inputs``: a hypothesis draw function ``inputs(draw) -> (arrays, params)`` (shapes with
      broadcasting, axes, keepdims, parameters); :meth:`strategy` wraps it, importing hypothesis then.
    - ``torch``: the float64 PyTorch twin, ``twin(*tensors, **params) -> tensor`` (or ``None`` when
      these params have no twin): a callable, or a dotted name under ``torch`` (``"exp"``,
      ``"nn.functional.softplus"``); ``None`` where PyTorch has no such op.
    - ``second_order``: whether second derivatives are checked too (default True).
    - ``tol``: extra ``gradcheck`` keywords (``eps``, ``atol``, ``rtol``) for this op.
    """

    name: str
    call: object
    sample: tuple
    inputs: object
    torch: object = None
    second_order: bool = True
    tol: dict = field(default_factory=dict)

    def __post_init__(self):
        arrays, params = self.sample
        if not isinstance(params, dict):
            raise TypeError(f"op database entry {self.name!r}: sample must be (list of arrays, dict of params)")
        self.sample = (list(arrays), params)

    def bind(self, params):
        """``call`` with ``params`` fixed: a function of the arrays/Values alone (what gradcheck takes)."""
        return lambda *values: self.call(*values, **params)

    def strategy(self):
        """The hypothesis strategy drawing ``(arrays, params)`` (imports hypothesis; ImportError names the extra).

        Raises TypeError when the entry has no draw function (``inputs=None``, for throwaway entries).
        """
        if not callable(self.inputs):
            raise TypeError(f"op database entry {self.name!r} has no draw function: give inputs=fn(draw)")
        return _st.composite(self.inputs)()

    def torch_fn(self):
        """The PyTorch float64 twin as a callable (imports torch), or None where PyTorch has none."""
        if self.torch is None or callable(self.torch):
            return self.torch
        fn = torch
        for part in self.torch.split("."):
            fn = getattr(fn, part)
        return fn
