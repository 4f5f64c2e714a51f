"""Module: PyTorch's module system on autograd_core Values (Parameter in parameter.py, containers in containers.py).

Parameters, submodules and buffers are registered by assignment (``self.weight = Parameter(...)``)
and also stored as ordinary instance attributes, so reading ``self.weight`` is a plain attribute
lookup (no ``__getattr__`` fallback on the hot path). ``__setattr__`` keeps the registries and the
attributes in step. Parameters change by rebinding ``p.data``; buffers (plain ndarrays such as
BatchNorm's running statistics) by reassignment.
"""

from collections import OrderedDict, namedtuple

import numpy as np

from autograd_core import CheckpointError, ShapeError, Value, named_scope, no_grad

from .arguments import CheckedConstructor
from .dtypes import cast_inputs, to_arguments
from .hooks import RemovableHandle
from .parameter import Parameter

__all__ = ["IncompatibleKeys", "Module", "StateDictShapeError"]


class StateDictShapeError(CheckpointError, ShapeError):
    """A state dict whose arrays do not fit the model's shapes (both a CheckpointError and a ShapeError)."""


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _as_buffer(value):
    if value is None:
        return None
    arr = np.array(value.numpy() if isinstance(value, Value) else value)
    arr.flags.writeable = False  # like parameter data: replaced, never written into
    return arr


class Module(metaclass=CheckedConstructor):
    """Base class of every layer: registration by attribute, traversal, modes and state dicts."""

    def __init__(self):
        d = self.__dict__
        d["_parameters"] = OrderedDict()
        d["_modules"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_non_persistent"] = set()
        d["_forward_hooks"] = OrderedDict()
        d["training"] = True

    # -- registration ---------------------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if params is None:
            if isinstance(value, (Parameter, Module)):
                raise AttributeError(f"cannot assign {name!r} before Module.__init__() is called")
            object.__setattr__(self, name, value)
            return
        modules, buffers = d["_modules"], d["_buffers"]
        if isinstance(value, Parameter):
            if name not in params:  # a new name goes last; reassignment keeps its place (state-dict order)
                self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            if name not in modules:
                self._forget(name)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter {name!r} (nn.Parameter or None expected); "
                    f"to change its values rebind {name}.data"
                )
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module {name!r} (Module or None)")
            modules[name] = None
        elif name in buffers:
            value = _as_buffer(value)
            buffers[name] = value
        d[name] = value

    def __delattr__(self, name):
        self._forget(name)
        object.__delattr__(self, name)

    def _forget(self, name):
        d = self.__dict__
        for reg in (d["_parameters"], d["_modules"], d["_buffers"]):
            reg.pop(name, None)
        d["_non_persistent"].discard(name)

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter or None) under ``name``, also as the attribute ``name``.

        Raises TypeError for anything but a Parameter or None.
        """
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter({name!r}): expected a Parameter or None, got {type(param).__name__}")
        self._forget(name)
        self._parameters[name] = param
        self.__dict__[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Register a non-learnable array (stored read-only; in state_dict unless ``persistent=False``).

        Raises AttributeError before ``Module.__init__`` ran, KeyError for an empty or dotted name.
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot register a buffer before Module.__init__() is called")
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"register_buffer: invalid buffer name {name!r}")
        self._forget(name)
        tensor = _as_buffer(tensor)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)
        self.__dict__[name] = tensor

    def add_module(self, name, module):
        """Register a child Module (or None) under ``name``; TypeError for anything else."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module({name!r}): expected a Module, got {type(module).__name__}")
        self._forget(name)
        self._modules[name] = module
        self.__dict__[name] = module

    register_module = add_module

    # -- traversal ------------------------------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module) for this module and every descendant, depth first (no recursion)."""
        seen = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            name, m = stack.pop()
            if remove_duplicate:
                if id(m) in seen:
                    continue
                seen.add(id(m))
            yield name, m
            children = [(f"{name}.{k}" if name else k, c) for k, c in m._modules.items() if c is not None]
            stack.extend(reversed(children))

    def modules(self):
        """This module and every descendant, depth first, each once."""
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        """(name, module) for each direct child, each once."""
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        """The direct children, each once."""
        for _, m in self.named_children():
            yield m

    def _named_members(self, registry, prefix, recurse, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for mname, m in mods:
            for k, v in getattr(m, registry).items():
                if v is None or (remove_duplicate and id(v) in seen):
                    continue
                seen.add(id(v))
                yield (f"{mname}.{k}" if mname else k), v

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Parameter) for this module's parameters and, with ``recurse``, its descendants'."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every Parameter (shared ones once), in registration order, as PyTorch."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, read-only ndarray) for every registered buffer (non-persistent ones too)."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Every registered buffer array."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def num_parameters(self, trainable_only=False):
        """Total number of scalar parameters (shared parameters counted once)."""
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # -- modes and gradients --------------------------------------------------------------------
    def train(self, mode=True):
        """Set ``training`` to ``mode`` on this module and every descendant; returns self."""
        for m in self.modules():
            m.__dict__["training"] = bool(mode)
        return self

    def eval(self):
        """``train(False)``: dropout off, batch norm on running statistics; returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on every parameter (freeze with False); returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's ``.grad`` (grads are read-only arrays, so None or fresh zeros)."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.numpy())

    def to(self, *args, **kwargs):
        """Cast floating-point parameters and buffers to a dtype (np.float64, 'float64', torch.float64); a
        device 'cpu' is a no-op, another raises ValueError (forms and errors: nn.dtypes.to_arguments).
        Parameters are replaced by new ones (their gradients dropped), so create the optimiser afterwards."""
        dtype = to_arguments("Module.to", args, kwargs)
        if dtype is None:
            return self
        for m in self.modules():
            for k, p in list(m._parameters.items()):
                if p is not None and p.dtype != dtype:
                    setattr(m, k, Parameter(p.numpy().astype(dtype), requires_grad=p.requires_grad, name=p.name))
            for k, b in list(m._buffers.items()):
                if b is not None and b.dtype.kind == "f" and b.dtype != dtype:
                    setattr(m, k, b.astype(dtype))
        return self

    def double(self):
        """``to(np.float64)``."""
        return self.to(np.float64)

    def float(self):
        """``to(np.float32)``."""
        return self.to(np.float32)

    def apply(self, fn):
        """Call ``fn(module)`` on every descendant and then on this module (as in PyTorch)."""
        for m in reversed(list(self.modules())):
            fn(m)
        return self

    # -- calling --------------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        """The computation, defined by every subclass; call the module (``m(x)``), not forward, so
        hooks run. Layers document their input and output shapes in the class docstring."""
        raise NotImplementedError(f"{type(self).__name__} has no forward() method")

    def __call__(self, *args, **kwargs):
        with named_scope(self, args):  # ops recorded inside remember this call (module-level drawings)
            if self._parameters or self._buffers:  # compute in the parameters' dtype (nn/dtypes.py)
                args = cast_inputs(self, args)
            out = self.forward(*args, **kwargs)
        hooks = self._forward_hooks
        if hooks:
            for hook in list(hooks.values()):
                res = hook(self, args, out)
                if res is not None:
                    out = res
        return out

    def register_forward_hook(self, hook):
        """``hook(module, inputs, output)`` runs after forward; returning a value replaces the output."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # -- state dicts ----------------------------------------------------------------------------
    def state_dict(self, prefix="", keep_vars=False):
        """OrderedDict of name -> ndarray: parameters then persistent buffers, module by module.

        Arrays are the read-only data themselves (no copies): they never change under you,
        because parameters are updated by rebinding.
        """
        out = OrderedDict()
        for mname, m in self.named_modules(prefix=prefix, remove_duplicate=False):
            base = f"{mname}." if mname else ""
            for k, p in m._parameters.items():
                if p is not None:
                    out[base + k] = p if keep_vars else p.numpy()
            for k, b in m._buffers.items():
                if b is not None and k not in m._non_persistent:
                    out[base + k] = b
        return out

    def _state_slots(self):
        """name -> (module, attribute, kind) for every entry state_dict() would produce."""
        slots = OrderedDict()
        for mname, m in self.named_modules(remove_duplicate=False):
            base = f"{mname}." if mname else ""
            for k, p in m._parameters.items():
                if p is not None:
                    slots[base + k] = (m, k, "parameter")
            for k, b in m._buffers.items():
                if b is not None and k not in m._non_persistent:
                    slots[base + k] = (m, k, "buffer")
        return slots

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays from ``state_dict`` by key after checking every key, shape and dtype first.

        Any problem raises (CheckpointError, or StateDictShapeError for shape mismatches) with the
        full list of problems, and leaves the model untouched. Float arrays load into float
        parameters of any precision (cast, like PyTorch); integer buffers need integer arrays.
        With ``strict=False`` missing and unexpected keys are allowed and returned.
        """
        if not hasattr(state_dict, "keys"):
            raise CheckpointError(
                f"load_state_dict: expected a mapping of name -> array, got {type(state_dict).__name__}"
            )
        slots = self._state_slots()
        missing = [k for k in slots if k not in state_dict]
        unexpected = [k for k in state_dict if k not in slots]
        problems, shape_bad, staged = [], False, []
        for key, (m, attr, kind) in slots.items():
            if key not in state_dict:
                continue
            current = m._parameters[attr].numpy() if kind == "parameter" else m._buffers[attr]
            try:
                new = np.asarray(state_dict[key])
            except Exception as err:  # a torch tensor that needs grad, an odd object
                problems.append(f"{key}: cannot convert {type(state_dict[key]).__name__} to an array ({err})")
                continue
            if new.shape != current.shape:
                shape_bad = True
                problems.append(
                    f"{key}: shape {new.shape} in the state dict, but the model's {kind} has {current.shape}"
                )
                continue
            if not _compatible(new.dtype, current.dtype):
                problems.append(
                    f"{key}: dtype {new.dtype} cannot load into the model's {kind} of dtype {current.dtype}"
                )
                continue
            staged.append((m, attr, kind, new, current.dtype))
        if strict and (missing or unexpected):
            if missing:
                problems.insert(0, "missing keys: " + ", ".join(missing))
            if unexpected:
                problems.insert(1 if missing else 0, "unexpected keys: " + ", ".join(map(str, unexpected)))
        if problems:
            cls = StateDictShapeError if shape_bad else CheckpointError
            raise cls(
                f"load_state_dict for {type(self).__name__} failed; the model is unchanged:\n  " + "\n  ".join(problems)
            )
        with no_grad():
            for m, attr, kind, new, dtype in staged:
                if kind == "parameter":
                    m._parameters[attr].data = new.astype(dtype, copy=False)
                else:
                    setattr(m, attr, np.array(new, dtype=dtype))
        return IncompatibleKeys(missing, unexpected)

    # -- display --------------------------------------------------------------------------------
    def extra_repr(self):
        """The layer's settings shown inside its repr, e.g. ``in_features=3, out_features=2``."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({k}): " + repr(m).replace("\n", "\n  ") for k, m in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"

    def summary(self, input_shape, dtype=None, print_fn=None):
        """Run a zero batch of ``input_shape`` (batch dimension included) through the model under
        no_grad and tabulate each submodule's output shape and its own parameter count."""
        from .summary import summarize

        return summarize(self, input_shape, dtype=dtype, print_fn=print_fn)


def _compatible(src, dst):
    if dst.kind == "f":
        return src.kind in "f"
    if dst.kind in "iu":
        return src.kind in "iu"
    if dst.kind == "b":
        return src.kind == "b"
    return src == dst
