"""Optimizer: parameter groups, per-parameter state, zero_grad and a state_dict shaped like PyTorch's.

Parameters are autograd_core Values whose arrays are read-only, so every update rebinds
``p.data = new_array``; optimiser state arrays are replaced the same way (never written in place),
which is why ``state_dict()`` can hand out its arrays without copying: later steps never change them.
"""

import math
from collections.abc import Mapping

import numpy as np

from autograd_core import Value
from autograd_core.errors import DTypeError, ShapeError
from autograd_core.grad_mode import enable_grad
from autograd_core.tracing import effect

from ..arguments import CheckedConstructor


class _Required:
    """Sentinel for an option without a default (must be given per group or to the constructor)."""

    def __repr__(self):
        return "<required>"


required = _Required()


def _refuse_module(params, name):
    """``Adam(model)``: say what to pass instead (a Module is not an iterable of parameters)."""
    if callable(getattr(params, "parameters", None)) and callable(getattr(params, "named_parameters", None)):
        raise TypeError(
            f"{name} got the model itself ({type(params).__name__}); pass its parameters: "
            f"{name}(model.parameters(), ...)"
        )


class Optimizer(metaclass=CheckedConstructor):  # a misspelt keyword names the closest (nn/arguments.py)
    """Base class: subclasses declare ``_tensor_state`` / ``_scalar_state`` and implement ``_update``.

    ``params`` is an iterable of Values, or of dicts ``{"params": [...], **options}`` whose options
    override the constructor's defaults for that group (PyTorch's param groups).
    """

    _tensor_state = ()  # state entries shaped like the parameter
    _scalar_state = ()  # state entries that are numbers (e.g. "step")

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self._check_options(self.defaults, where="defaults")
        self.state = {}
        self.param_groups = []
        _refuse_module(params, type(self).__name__)
        if isinstance(params, (Value, np.ndarray, Mapping)):
            raise TypeError(
                "params should be an iterable of Values or of dicts (param groups); got " + type(params).__name__
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], Mapping):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # -- groups ----------------------------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group of parameters with its own options (defaults fill what it leaves out)."""
        if not isinstance(param_group, Mapping):
            raise TypeError(f"a param group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError("a param group needs a 'params' entry")
        params = param_group["params"]
        _refuse_module(params, type(self).__name__)
        if isinstance(params, Value):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError("optimizer parameters need a stable order; use a list, not a set")
        else:
            params = list(params)
        seen = set()
        for i, p in enumerate(params):
            if not isinstance(p, Value):
                raise TypeError(f"optimizer can only optimize Values, but param {i} is a {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"can't optimize a non-leaf Value (param {i}, shape {p.shape})")
            if p.dtype.kind != "f":
                raise DTypeError(f"can only optimize floating-point Values; param {i} has dtype {p.dtype}")
            if id(p) in seen:
                raise ValueError(f"param {i} (shape {p.shape}) appears twice in one parameter group")
            seen.add(id(p))
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & seen:
            raise ValueError("some parameters appear in more than one parameter group")
        group = {k: v for k, v in param_group.items() if k != "params"}
        for k, v in self.defaults.items():
            group.setdefault(k, v)
        missing = [k for k, v in group.items() if v is required]
        if missing:
            raise ValueError(f"parameter group didn't specify a value of required option(s) {missing}")
        self._check_options(group, where=f"param_groups[{len(self.param_groups)}]")
        group["params"] = params
        self.param_groups.append(group)
        self._init_group_state(group)

    def _check_options(self, options, where):
        """Raise ValueError for out-of-range options (subclasses extend)."""
        lr = options.get("lr", 0.0)
        if lr is not required and not (isinstance(lr, (int, float)) and lr >= 0):
            raise ValueError(f"Invalid learning rate in {where}: {lr}")

    def _init_group_state(self, group):
        """Hook for optimizers whose state starts eagerly (Adagrad)."""

    # -- stepping --------------------------------------------------------------------------------
    @effect
    def zero_grad(self, set_to_none=True):
        """Forget the gradients: set them to None (default) or to read-only zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        z = np.zeros_like(p.numpy())
                        z.flags.writeable = False
                        p.grad = z

    @effect
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        states = self.state
        for group in self.param_groups:
            maximize = group.get("maximize", False)
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                data = p.numpy()
                if type(grad) is not np.ndarray:  # a Value, or a scalar param's numpy scalar
                    grad = grad.numpy() if isinstance(grad, Value) else np.asarray(grad)
                if grad.shape != data.shape:
                    raise ShapeError(
                        f"{type(self).__name__}.step: grad of shape {grad.shape} for a param of shape {data.shape}"
                    )
                if grad.dtype != data.dtype:
                    grad = grad.astype(data.dtype)
                if maximize:
                    grad = -grad
                state = states.get(p)
                if state is None:
                    state = states[p] = {}
                # inf/nan in, or float16 overflow, give IEEE results as PyTorch's do, without numpy's warnings
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    if data.ndim:
                        p.set_(self._update(data, grad, state, group))  # = p.data = new, minus a copy
                    else:
                        p.set_(self._update_0d(data, grad, state, group))
        return loss

    def _update_0d(self, param, grad, state, group):
        """0-d params run as 1-element arrays (numpy ufuncs turn 0-d results into scalars, which have no out=)."""
        for k, v in state.items():
            if isinstance(v, np.ndarray):
                state[k] = v.reshape(1)
        try:
            return self._update(param.reshape(1), grad.reshape(1), state, group).reshape(())
        finally:
            for k, v in state.items():
                if isinstance(v, np.ndarray):
                    state[k] = v.reshape(())

    def _update(self, param, grad, state, group):
        """Return a NEW parameter array (it is installed without a copy) and replace entries of ``state``.

        Never write into ``param``, ``grad`` or existing state arrays (state_dict() shares them);
        writing into temporaries computed here is fine and saves allocations.
        """
        raise NotImplementedError

    # -- state dicts -----------------------------------------------------------------------------
    def state_dict(self):
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` as in PyTorch.

        Indices number the parameters across groups in order. The arrays are shared, not copied:
        the optimizer replaces state arrays on each step and never writes into them.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    state[index[id(p)]] = dict(self.state[p])
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Check everything (group sizes, indices, state keys, shapes, dtypes) and only then assign."""
        name = type(self).__name__
        if not isinstance(state_dict, Mapping) or set(state_dict) != {"state", "param_groups"}:
            keys = sorted(map(str, state_dict)) if isinstance(state_dict, Mapping) else type(state_dict).__name__
            raise ValueError(f"{name}.load_state_dict expects a dict with 'state' and 'param_groups'; got {keys}")
        saved_groups = state_dict["param_groups"]
        if not isinstance(saved_groups, (list, tuple)) or len(saved_groups) != len(self.param_groups):
            n = len(saved_groups) if isinstance(saved_groups, (list, tuple)) else type(saved_groups).__name__
            raise ValueError(f"loaded state dict has {n} parameter groups; this optimizer has {len(self.param_groups)}")
        id_to_param = {}
        new_groups = []
        for gi, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if not isinstance(saved, Mapping) or "params" not in saved:
                raise ValueError(f"loaded param_groups[{gi}] is not a dict with a 'params' entry")
            ids = list(saved["params"])
            if len(ids) != len(group["params"]):
                raise ValueError(
                    f"loaded param_groups[{gi}] has {len(ids)} params; this optimizer's group has {len(group['params'])}"
                )
            for i, p in zip(ids, group["params"]):
                if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or int(i) in id_to_param:
                    raise ValueError(f"loaded param_groups[{gi}] has a bad or repeated param index {i!r}")
                id_to_param[int(i)] = p
            new_group = {k: v for k, v in group.items() if k != "params"}  # options the save lacks stay as they are
            new_group.update((k, _plain(k, v)) for k, v in saved.items() if k != "params")
            self._check_options(new_group, where=f"loaded param_groups[{gi}]")
            new_group["params"] = group["params"]
            new_groups.append(new_group)
        saved_state = state_dict["state"]
        if not isinstance(saved_state, Mapping):
            raise ValueError(f"loaded 'state' must be a dict, got {type(saved_state).__name__}")
        group_of = {id(p): g for g in new_groups for p in g["params"]}
        new_state = {}
        for key, entry in saved_state.items():
            k = int(key) if isinstance(key, str) and key.isdigit() else key
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or int(k) not in id_to_param:
                raise ValueError(f"loaded state has an entry for unknown param index {key!r}")
            p = id_to_param[int(k)]
            new_state[p] = self._check_state_entry(p, entry, group_of[id(p)], k)
        self.param_groups[:] = new_groups
        self.state = new_state

    def _check_state_entry(self, p, entry, group, k):
        if not isinstance(entry, Mapping):
            raise ValueError(f"loaded state[{k}] must be a dict, got {type(entry).__name__}")
        allowed = set(self._tensor_state) | set(self._scalar_state)
        unknown = sorted(set(map(str, entry)) - allowed)
        if unknown:
            raise ValueError(
                f"loaded state[{k}] has keys {unknown} that {type(self).__name__} does not use (expected {sorted(allowed)})"
            )
        missing = sorted(set(self._required_state(group)) - set(entry))
        if missing:
            raise ValueError(f"loaded state[{k}] lacks {missing}")
        out = {}
        for key, v in entry.items():
            if key in self._scalar_state:
                arr = np.asarray(v.numpy() if isinstance(v, Value) else v)
                if arr.size != 1 or arr.dtype.kind not in "iuf" or not math.isfinite(float(arr.reshape(()))):
                    raise ValueError(f"loaded state[{k}][{key!r}] must be a finite number, got {v!r}")
                out[key] = float(arr.reshape(()))
            elif v is None:
                out[key] = None
            else:
                arr = np.asarray(v.numpy() if isinstance(v, Value) else v)
                if arr.shape != p.shape:
                    raise ShapeError(f"loaded state[{k}][{key!r}] has shape {arr.shape}; the param has shape {p.shape}")
                if arr.dtype.kind not in "fiu":
                    raise DTypeError(f"loaded state[{k}][{key!r}] has dtype {arr.dtype}; expected a float array")
                out[key] = np.array(arr, dtype=p.dtype)  # a private copy in the param's dtype (PyTorch casts too)
        return out

    def _required_state(self, group):
        """State keys that must be present once a param has state (given the group's options)."""
        return ()

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params")
        return "\n".join([*lines, ")"])


def _plain(key, v):
    """Numbers stored as 0-d arrays (e.g. from a converted torch state dict) become Python numbers."""
    if isinstance(v, (np.ndarray, np.generic)) and np.ndim(v) == 0:
        return v.item()
    if key == "betas" and isinstance(v, list):
        return tuple(v)  # betas that went through JSON come back as a list
    return v


def _check_nonneg(options, where, *names):
    for n in names:
        if n in options and not options[n] >= 0:
            raise ValueError(f"Invalid {n} value in {where}: {options[n]}")
