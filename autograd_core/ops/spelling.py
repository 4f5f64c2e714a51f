"""numpy's and PyTorch's spellings of one argument: ``axis``/``dim``, ``keepdims``/``keepdim``.

The ops take numpy's names; :func:`numpy_spelling` renames PyTorch's in an op call's params (Op.__call__
and Op.dispatch call it), and :func:`either_spelling` resolves a function's two keyword arguments; :func:`split_params` names
an op call's positional params.
Giving both spellings of one argument is a TypeError.
"""

import inspect

_FORWARD_PARAMS = {}
_TORCH_TO_NUMPY = {"dim": "axis", "keepdim": "keepdims"}


def either_spelling(name, numpy_name, numpy_value, torch_name, torch_value, default=None):
    """The value of an argument that may be spelt numpy's way or PyTorch's (``axis``/``dim``); not both."""
    if torch_value is None:
        return default if numpy_value is None else numpy_value
    if numpy_value is not None and numpy_value is not default:
        raise TypeError(f"{name}: got both {numpy_name}= and {torch_name}= (the same argument); give one")
    return torch_value


def reduce_args(name, axis, keepdims, dim, keepdim):
    """A reduction's axis and keepdims from numpy's or PyTorch's spelling (``x.sum(dim=1, keepdim=True)``)."""
    return {
        "axis": either_spelling(name, "axis", axis, "dim", dim),
        "keepdims": either_spelling(name, "keepdims", keepdims, "keepdim", keepdim, False),
    }


def _forward_params(op):
    names = _FORWARD_PARAMS.get(op)
    if names is None:
        try:
            names = frozenset(inspect.signature(op.forward).parameters)
        except (TypeError, ValueError):
            names = frozenset()
        _FORWARD_PARAMS[op] = names
    return names


def numpy_spelling(name, params, op=None):
    """PyTorch's ``dim``/``keepdim`` as numpy's ``axis``/``keepdims`` (the ops' own names); both at once is an error.

    With ``op`` given, a key is renamed only where the op's forward takes the numpy name, so an op
    without an axis refuses ``dim=`` by the name the caller used.
    """
    params = dict(params)
    accepted = _forward_params(op) if op is not None else None
    for torch_name, numpy_name in _TORCH_TO_NUMPY.items():
        if torch_name in params and (accepted is None or numpy_name in accepted):
            if numpy_name in params:
                raise TypeError(f"{name}: got both {torch_name}= and {numpy_name}= (the same argument); give one")
            params[numpy_name] = params.pop(torch_name)
    return params


_PARAM_NAMES = {}


def param_names(op):
    """The names of ``op``'s params: its forward's keyword arguments after the inputs (cached); None
    when the forward takes ``**params`` (any name)."""
    names = _PARAM_NAMES.get(op, False)
    if names is False:
        try:
            ps = list(inspect.signature(op.forward).parameters.values())
        except (TypeError, ValueError):
            ps = []
        kinds = {p.kind for p in ps}
        if inspect.Parameter.VAR_KEYWORD in kinds:
            names = None
        elif inspect.Parameter.VAR_POSITIONAL in kinds:  # a variadic op's forward(*xs, axis=...)
            names = [p.name for p in ps if p.kind is inspect.Parameter.KEYWORD_ONLY]
        else:
            names = [p.name for p in ps[len(op.vjps) :]]
        _PARAM_NAMES[op] = names
    return names


def split_params(op, args, params):
    """Positional arguments past the op's inputs (one per vjp) are params: ``transpose(x, None)``
    means ``transpose(x, axes=None)``, so params never become graph operands."""
    names = param_names(op) or []
    n = len(op.vjps)
    extra = args[n:]
    if len(extra) > len(names):
        raise TypeError(f"{op.name}: takes {n} input(s) and params {names}, got {len(args)} positional arguments")
    params = dict(params)
    for k, v in zip(names, extra):
        if k in params:
            raise TypeError(f"{op.name}: got multiple values for param {k!r}")
        params[k] = v
    return args[:n], params
