"""functional_call: run a module with some of its parameters or buffers replaced, for one call.

PyTorch's ``torch.func.functional_call`` (also ``torch.nn.utils.stateless.functional_call``): the
module computes as a function of the values you pass, so gradients flow to them (differentiating a
layer with respect to its weights by ``autograd_core.functional``, or checking those gradients).
"""

from .module import Module

__all__ = ["functional_call"]


def _slots(module):
    """Dotted name -> (owning module, attribute, kind) for every parameter and buffer (non-persistent too)."""
    slots = {}
    for prefix, m in module.named_modules():
        base = f"{prefix}." if prefix else ""
        for kind, registry in (("parameter", m._parameters), ("buffer", m._buffers)):
            for attr, v in registry.items():
                if v is not None:
                    slots.setdefault(base + attr, (m, attr, kind))
    return slots


def functional_call(module, parameters_and_buffers, args=(), kwargs=None):
    """``module(*args, **kwargs)`` with the named parameters/buffers replaced by the given values.

    Arguments:
        module: an :class:`nn.Module`.
        parameters_and_buffers: a mapping from names as ``module.named_parameters()`` /
            ``named_buffers()`` give them (``"0.weight"``) to replacements: Values (differentiable,
            of the original's shape), arrays or numbers. Names left out keep the module's own.
        args: a single positional argument, or a tuple of them.
        kwargs: keyword arguments for the forward.

    Returns whatever ``module`` returns. The module is restored afterwards, also when forward raises;
    its own parameters and buffers are never changed.

    Raises:
        TypeError: ``module`` is not a Module.
        KeyError: a name that is not one of the module's parameters or buffers (all are listed).
    """
    if not isinstance(module, Module):
        raise TypeError(f"functional_call: expected an nn.Module, got {type(module).__name__}")
    slots = _slots(module)
    unknown = [k for k in parameters_and_buffers if k not in slots]
    if unknown:
        raise KeyError(
            f"functional_call: {unknown} are not parameters or buffers of {type(module).__name__}; "
            f"its names are {sorted(slots)}"
        )
    if not isinstance(args, tuple):
        args = (args,)
    # Each slot is also a plain instance attribute (see nn/module.py), which is what forward reads:
    # swapping that attribute alone leaves the registries, and so the module's own state, untouched.
    originals = [(m, attr, m.__dict__[attr]) for k in parameters_and_buffers for m, attr, _ in [slots[k]]]
    try:
        for (m, attr, _), value in zip(originals, parameters_and_buffers.values()):
            m.__dict__[attr] = value
        return module(*args, **(kwargs or {}))
    finally:
        for m, attr, value in originals:
            m.__dict__[attr] = value
