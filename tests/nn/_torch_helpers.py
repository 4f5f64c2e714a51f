"""Shared helpers for the nn layer tests: run the same computation here and in PyTorch (float64)."""

import numpy as np
import torch

import autograd_core as ag


def run_both(ours, theirs, arrays, seed=0):
    """Apply ``ours`` to Values and ``theirs`` to torch tensors built from the same float64 arrays, backprop
    the same random upstream gradient, and return ((out, grads), (out, grads)) as numpy arrays."""
    vals = [ag.Value(a) for a in arrays]
    tens = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = ours(*vals)
    ty = theirs(*tens)
    assert y.shape == tuple(ty.shape), (y.shape, tuple(ty.shape))
    g = np.random.default_rng(seed).normal(size=y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    return (y.data, [v.grad for v in vals]), (ty.detach().numpy(), [t.grad.numpy() for t in tens])


def assert_close_both(ours, theirs, arrays, rtol=1e-9, atol=1e-10, seed=0):
    (y, gs), (ty, tgs) = run_both(ours, theirs, arrays, seed)
    np.testing.assert_allclose(y, ty, rtol=rtol, atol=atol)
    for i, (g, tg) in enumerate(zip(gs, tgs)):
        np.testing.assert_allclose(g, tg, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")


def torch_state(module):
    """A torch module's state dict as numpy arrays (how a converted checkpoint arrives)."""
    return {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


def compare_module(ours, theirs, x, rtol=1e-9, atol=1e-10, seed=0):
    """Load ``theirs``' state dict into ``ours`` by key, then compare outputs, input grads and parameter grads."""
    ours.load_state_dict(torch_state(theirs))
    xv = ag.Value(x)
    tx = torch.tensor(x, requires_grad=True)
    y = ours(xv)
    ty = theirs(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=rtol, atol=atol)
    g = np.random.default_rng(seed).normal(size=y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(xv.grad, tx.grad.numpy(), rtol=rtol, atol=atol, err_msg="input gradient")
    tparams = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, tparams[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name)
    return y
