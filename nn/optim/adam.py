"""Adam and AdamW (decoupled weight decay), with AMSGrad, following PyTorch's single-tensor formulas."""

import warnings

import numpy as np

from .optimizer import Optimizer, _check_nonneg


class Adam(Optimizer):
    """Adam (Kingma & Ba). ``decoupled_weight_decay=True`` is AdamW: ``p *= 1 - lr*wd`` before the update."""

    _tensor_state = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    _scalar_state = ("step",)

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        amsgrad=False,
        *,
        maximize=False,
        decoupled_weight_decay=False,
    ):
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check_options(self, options, where):
        super()._check_options(options, where)
        _check_nonneg(options, where, "eps", "weight_decay")
        betas = options.get("betas", (0.9, 0.999))
        for i in (0, 1):
            if not 0.0 <= betas[i] < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i} in {where}: {betas[i]}")

    def _required_state(self, group):
        return ("step", "exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if group["amsgrad"] else ())

    def _update(self, param, grad, state, group):
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        beta1, beta2 = group["betas"]
        if not state:
            _warn_eps_underflow(type(self).__name__, param.dtype, eps)
            state["step"] = 0.0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        step = state["step"] = state["step"] + 1.0
        if wd != 0:
            if group["decoupled_weight_decay"]:
                param = param * (1 - lr * wd)
            else:
                grad = grad + wd * param
        old_avg = state["exp_avg"]
        exp_avg = grad - old_avg  # torch's lerp for weight < 0.5: old + (1 - beta1) * (grad - old)
        exp_avg *= 1 - beta1
        exp_avg += old_avg
        exp_avg_sq = grad * grad
        exp_avg_sq *= 1 - beta2
        exp_avg_sq += beta2 * state["exp_avg_sq"]
        state["exp_avg"], state["exp_avg_sq"] = exp_avg, exp_avg_sq
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        step_size = lr / bias_correction1
        if group["amsgrad"]:
            exp_avg_sq = state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], exp_avg_sq)
        denom = np.sqrt(exp_avg_sq)
        denom /= bias_correction2_sqrt
        denom += eps
        update = np.divide(exp_avg, denom, out=denom)
        update *= step_size
        return np.subtract(param, update, out=update)


def _warn_eps_underflow(name, dtype, eps):
    """Warn once per parameter when ``eps`` rounds to 0 in the parameter's dtype (float16: eps=1e-8)."""
    if eps > 0 and dtype.kind == "f" and dtype.type(eps) == 0:
        warnings.warn(
            f"{name}: eps={eps:g} is 0 in {dtype}, so where the second moment underflows to 0 the update "
            f"divides by 0 and gives inf or nan (as in PyTorch); pass eps >= {float(np.finfo(dtype).smallest_subnormal):g} "
            "or keep float32 parameters",
            UserWarning,
            stacklevel=5,
        )


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), default ``weight_decay=1e-2``."""

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *, maximize=False
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True)
