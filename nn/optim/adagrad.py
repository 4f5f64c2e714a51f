"""Adagrad (Duchi et al.) with learning-rate decay, following PyTorch's formulas."""

import numpy as np

from .optimizer import Optimizer, _check_nonneg


class Adagrad(Optimizer):
    """``s += g^2; p -= lr / (1 + (t-1)*lr_decay) * g / (sqrt(s) + eps)``; state starts at construction.

    One deliberate difference from torch.optim.Adagrad: a param group's own ``initial_accumulator_value``
    is honoured (torch fills every group's accumulator from the constructor's value).
    """

    _tensor_state = ("sum",)
    _scalar_state = ("step",)

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
        *,
        maximize=False,
    ):
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_options(self, options, where):
        super()._check_options(options, where)
        _check_nonneg(options, where, "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def _init_group_state(self, group):
        for p in group["params"]:
            self.state[p] = {"step": 0.0, "sum": np.full_like(p.numpy(), group["initial_accumulator_value"])}

    def _required_state(self, group):
        return ("step", "sum")

    def _update(self, param, grad, state, group):
        if not state:  # a param whose state a loaded state dict did not carry
            state.update(step=0.0, sum=np.full_like(param, group["initial_accumulator_value"]))
        step = state["step"] = state["step"] + 1.0
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = grad * grad
        state_sum += state["sum"]
        state["sum"] = state_sum
        std = np.sqrt(state_sum)
        std += group["eps"]
        update = np.divide(grad, std, out=std)
        update *= clr
        return np.subtract(param, update, out=update)
