"""Parameter: a learnable Value (float32 by default; always requires grad)."""

import numpy as np

from autograd_core import Value

__all__ = ["Parameter"]


class Parameter(Value):
    """A learnable Value: float32 unless given a float array (which keeps its dtype); requires grad."""

    __slots__ = ()

    def __init__(self, data, requires_grad=True, dtype=None, name=None):
        if dtype is None:
            raw = data.numpy() if isinstance(data, Value) else data
            if not (isinstance(raw, (np.ndarray, np.generic)) and raw.dtype.kind == "f"):
                dtype = np.float32
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, name=name)
        if self.data.dtype.kind != "f":
            raise TypeError(f"Parameter: dtype must be floating point, got {self.data.dtype}")

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        """copy.deepcopy(model) gives independent Parameters with read-only data, like the originals."""
        new = Parameter(self.data, requires_grad=self.requires_grad, name=self.name)
        new.grad = None if self.grad is None else Value(self.grad).data
        memo[id(self)] = new
        return new
