"""ParameterList and ParameterDict: parameters held in a list or a dict, registered on the module.

Each entry is an ordinary registered parameter (named by its position, "0", "1", ..., or by its key),
so ``parameters()``, ``state_dict()`` (keys like ``"weights.0"``), ``load_state_dict``, optimisers
and ``nn.save``/``nn.load`` see them, as in PyTorch. Arrays and Values given as entries are wrapped
in :class:`~nn.parameter.Parameter` (which keeps a float array's dtype), as PyTorch wraps tensors.
"""

from autograd_core import Value

from .module import Module
from .parameter import Parameter

__all__ = ["ParameterDict", "ParameterList"]


def _as_parameter(value, where):
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Value) or hasattr(value, "__array__") or isinstance(value, (list, tuple, float, int)):
        return Parameter(value)
    raise TypeError(f"{where}: expected a Parameter (or an array to wrap in one), got {type(value).__name__}")


class ParameterList(Module):
    """A list of parameters (torch.nn.ParameterList): indexable (int or slice), iterable, appendable.

    values: an iterable of Parameters or float arrays (wrapped). It has no forward. Raises TypeError
    for entries that are not arrays, IndexError for an index out of range.
    """

    def __init__(self, values=None):
        super().__init__()
        if values is not None:
            self.extend(values)

    def _index(self, idx):
        n = len(self._parameters)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range for ParameterList of length {n}")
        return idx % n

    def __getitem__(self, idx):
        params = list(self._parameters.values())
        if isinstance(idx, slice):
            return ParameterList(params[idx])
        return params[self._index(idx)]

    def __setitem__(self, idx, value):
        setattr(self, str(self._index(idx)), _as_parameter(value, "ParameterList"))  # keeps its place

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        """Add ``value`` (a Parameter, or an array wrapped in one) at the end, named ``str(len(self))``; returns self."""
        self.register_parameter(str(len(self)), _as_parameter(value, "ParameterList.append"))
        return self

    def extend(self, values):
        """Append each of ``values``; returns self."""
        for v in values:
            self.append(v)
        return self

    def extra_repr(self):
        return "\n".join(f"({i}): Parameter of shape {p.shape} ({p.dtype})" for i, p in enumerate(self))


class ParameterDict(Module):
    """An ordered dict of parameters by string key (torch.nn.ParameterDict): ``pd[key]``, ``in``,
    ``len``, iteration over keys, ``keys()``, ``values()``, ``items()``, ``update``, ``pop``, ``get``.

    parameters: a mapping or an iterable of (key, value) pairs. Raises TypeError for a non-string
    key or a value that is not an array, KeyError for a key holding a dot, an empty key, one that
    would hide a module attribute (``training``, ``forward``, ...) or a missing key.
    """

    def __init__(self, parameters=None):
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def _check_key(self, key):
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict keys must be strings, got {type(key).__name__}")
        if not key or "." in key or hasattr(type(self), key) or (key in self.__dict__ and key not in self._parameters):
            raise KeyError(f"ParameterDict: invalid key {key!r} (empty, dotted, or a module attribute's name)")
        return key

    def __getitem__(self, key):
        return self._parameters[key]

    def __setitem__(self, key, value):
        key = self._check_key(key)
        value = _as_parameter(value, "ParameterDict")
        if key in self._parameters:
            setattr(self, key, value)  # keeps the key's place
        else:
            self.register_parameter(key, value)

    def __delitem__(self, key):
        if key not in self._parameters:
            raise KeyError(key)
        delattr(self, key)

    def __contains__(self, key):
        return key in self._parameters

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters)

    def keys(self):
        """The keys, in insertion order."""
        return self._parameters.keys()

    def values(self):
        """The parameters, in insertion order."""
        return self._parameters.values()

    def items(self):
        """(key, parameter) pairs, in insertion order."""
        return self._parameters.items()

    def get(self, key, default=None):
        """The parameter under ``key``, else ``default``."""
        return self._parameters.get(key, default)

    def pop(self, key):
        """Remove ``key`` and return its parameter; KeyError when missing."""
        value = self[key]
        del self[key]
        return value

    def update(self, parameters):
        """Set each (key, value) of a mapping or an iterable of pairs; returns None, as dict.update."""
        items = parameters.items() if hasattr(parameters, "items") else parameters
        for key, value in items:
            self[key] = value

    def extra_repr(self):
        return "\n".join(f"({k}): Parameter of shape {p.shape} ({p.dtype})" for k, p in self.items())
