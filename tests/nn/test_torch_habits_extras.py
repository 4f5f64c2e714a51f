"""nn.ModuleDict, Module.to(device/dtype) and Conv padding_mode, as PyTorch has them."""

import numpy as np
import pytest
import torch
from _torch_helpers import compare_module

import nn

F64 = np.float64


def test_module_dict_registers_and_behaves_like_torch():
    d = nn.ModuleDict({"enc": nn.Linear(2, 3), "act": nn.ReLU()})
    d["dec"] = nn.Linear(3, 1)
    t = torch.nn.ModuleDict({"enc": torch.nn.Linear(2, 3), "act": torch.nn.ReLU(), "dec": torch.nn.Linear(3, 1)})
    assert list(d) == list(t) and list(d.state_dict()) == list(t.state_dict())
    assert len(list(d.parameters())) == 4 and "enc" in d and len(d) == 3
    assert d.pop("act").__class__ is nn.ReLU and list(d.keys()) == ["enc", "dec"]
    d.update([("extra", nn.Tanh())])
    assert list(d) == ["enc", "dec", "extra"]
    d.clear()
    assert len(d) == 0 and not list(d.parameters())
    with pytest.raises(KeyError, match="hide the Module attribute"):
        d["train"] = nn.ReLU()
    with pytest.raises(KeyError, match="no key 'missing'"):
        d["missing"]
    with pytest.raises(TypeError, match="expected a Module"):
        d["x"] = 3


def test_module_to_takes_cpu_dtype_and_refuses_other_devices():
    m = nn.Linear(2, 3)
    assert m.to("cpu") is m and m.weight.dtype == np.float32
    assert m.to(torch.device("cpu"), torch.float64).weight.dtype == np.float64
    assert m.to(device="cpu:0", dtype="float32").weight.dtype == np.float32
    assert m.to(np.float64, non_blocking=True).weight.dtype == np.float64
    for device in ("cuda", "cuda:1", torch.device("mps"), 0):
        with pytest.raises(ValueError, match="not available: autograd-core computes on the CPU"):
            m.to(device)
    with pytest.raises(TypeError, match="floating point"):
        m.to(np.int64)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_padding_modes_match_torch(mode, nd):
    kw = {"padding": 1, "padding_mode": mode}
    torch.manual_seed(0)
    theirs = getattr(torch.nn, f"Conv{nd}d")(2, 3, 3, stride=1, **kw).double()
    ours = getattr(nn, f"Conv{nd}d")(2, 3, 3, dtype=F64, **kw)
    x = np.random.default_rng(0).normal(size=(2, 2) + (4,) * nd)
    compare_module(ours, theirs, x)
    assert f"padding_mode={mode!r}" in repr(ours)


def test_conv_padding_mode_same_and_errors():
    torch.manual_seed(0)
    theirs = torch.nn.Conv2d(1, 2, (3, 4), padding="same", padding_mode="reflect").double()
    compare_module(nn.Conv2d(1, 2, (3, 4), padding="same", padding_mode="reflect", dtype=F64), theirs,
                   np.random.default_rng(1).normal(size=(1, 1, 5, 6)))  # fmt: skip
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(1, 2, 3, padding_mode="mirror")
