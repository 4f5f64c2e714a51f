"""Constructor arguments checked against the public class the user called (``Conv2d(kernal_size=3)``).

Python names the function whose signature failed, which for a layer is often a private base
(``_ConvNd.__init__()``) and never suggests the intended name. Module's metaclass,
:class:`CheckedConstructor`, calls :func:`check_call` when a class is called, before ``__init__``
runs, so a misspelt, missing or surplus argument raises a ``TypeError`` that names the class and
the closest accepted keyword (difflib), before any state is created. (A metaclass rather than
``__new__``: copy and pickle call ``cls.__new__(cls)`` with no arguments.)
"""

import inspect

from autograd_core.errors import unexpected_keyword

_SIGNATURES = {}


def _signature(cls):
    sig = _SIGNATURES.get(cls)
    if sig is None:
        try:
            sig = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            sig = False
        _SIGNATURES[cls] = sig
    return sig


def check_call(cls, args, kwargs):
    """Raise ``TypeError`` naming ``cls`` if ``cls(*args, **kwargs)`` does not fit its ``__init__``."""
    sig = _signature(cls)
    if not sig:
        return
    params = list(sig.parameters.values())[1:]  # drop self
    if any(p.kind is p.VAR_KEYWORD for p in params):
        names = None
    else:
        names = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        for key in kwargs:
            if key not in names:
                raise unexpected_keyword(cls.__name__, key, names)
    try:
        sig.bind(None, *args, **kwargs)
    except TypeError as err:
        raise TypeError(f"{cls.__name__}(): {err}") from None


class CheckedConstructor(type):
    """Metaclass of nn.Module: ``Layer(...)`` checks its arguments against ``Layer.__init__`` first."""

    def __call__(cls, *args, **kwargs):
        check_call(cls, args, kwargs)
        return super().__call__(*args, **kwargs)
