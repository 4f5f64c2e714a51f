"""LR schedulers against torch.optim.lr_scheduler: the same get_last_lr() sequence, bit for bit."""

import warnings

import numpy as np
import pytest
import torch

import nn
from autograd_core import Value
from nn.optim import SGD, Adam
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR

EPOCHS = 120


def _pair(lrs=(0.1, 0.03)):
    """Our optimizer and torch's, each with one param group per lr."""
    ours = SGD([{"params": [Value(np.zeros(1))], "lr": lr} for lr in lrs], lr=1.0)
    theirs = torch.optim.SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs], lr=1.0)
    return ours, theirs


SCHEDULERS = [
    (StepLR, torch.optim.lr_scheduler.StepLR, dict(step_size=7, gamma=0.5)),
    (StepLR, torch.optim.lr_scheduler.StepLR, dict(step_size=1)),
    (ExponentialLR, torch.optim.lr_scheduler.ExponentialLR, dict(gamma=0.97)),
    (CosineAnnealingLR, torch.optim.lr_scheduler.CosineAnnealingLR, dict(T_max=10)),
    (CosineAnnealingLR, torch.optim.lr_scheduler.CosineAnnealingLR, dict(T_max=25, eta_min=0.001)),
    (CosineAnnealingLR, torch.optim.lr_scheduler.CosineAnnealingLR, dict(T_max=1, eta_min=0.01)),
]


@pytest.mark.parametrize(("ours", "theirs", "kwargs"), SCHEDULERS, ids=lambda x: getattr(x, "__name__", None) or str(x))
def test_matches_torch_over_many_epochs(ours, theirs, kwargs):
    o_opt, t_opt = _pair()
    o, t = ours(o_opt, **kwargs), theirs(t_opt, **kwargs)
    assert o.get_last_lr() == t.get_last_lr()
    for epoch in range(EPOCHS):
        o_opt.step()
        t_opt.step()
        o.step()
        t.step()
        assert o.get_last_lr() == t.get_last_lr(), f"epoch {epoch}"
        assert [g["lr"] for g in o_opt.param_groups] == o.get_last_lr()


@pytest.mark.parametrize(("ours", "theirs", "kwargs"), SCHEDULERS[::2], ids=lambda x: getattr(x, "__name__", ""))
def test_closed_form_epoch_argument_matches_torch(ours, theirs, kwargs):
    o_opt, t_opt = _pair()
    o, t = ours(o_opt, **kwargs), theirs(t_opt, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in (5, 17, 3, 40):
            o.step(epoch)
            t.step(epoch)
            np.testing.assert_allclose(o.get_last_lr(), t.get_last_lr(), rtol=1e-15)


@pytest.mark.parametrize(("ours", "theirs", "kwargs"), SCHEDULERS, ids=lambda x: getattr(x, "__name__", None) or str(x))
def test_state_dict_resume_matches_uninterrupted_run(ours, theirs, kwargs, tmp_path):
    """Checkpoint optimizer + scheduler at epoch 30, rebuild both from the file, continue: same lrs as torch."""
    o_opt, t_opt = _pair()
    o, t = ours(o_opt, **kwargs), theirs(t_opt, **kwargs)
    for _ in range(30):
        t_opt.step()
        o.step()
        t.step()
    nn.save({"opt": o_opt.state_dict(), "sched": o.state_dict()}, tmp_path / "c.safetensors")
    ck = nn.load(tmp_path / "c.safetensors")
    o_opt2, _ = _pair(lrs=(5.0, 5.0))
    o_opt2.load_state_dict(ck["opt"])
    o2 = ours(o_opt2, **kwargs)
    o2.load_state_dict(ck["sched"])
    assert o2.get_last_lr() == t.get_last_lr()
    for _ in range(40):
        o2.step()
        t_opt.step()
        t.step()
        assert o2.get_last_lr() == t.get_last_lr()


def _metrics(seed):
    """Losses with improvements, plateaus, tiny (sub-threshold) gains and spikes."""
    rng = np.random.default_rng(seed)
    out, v = [], 1.0
    for _ in range(EPOCHS):
        r = rng.random()
        v = v * 0.9 if r < 0.25 else v * (1 - 1e-6) if r < 0.5 else v * 1.2 if r < 0.6 else v
        out.append(v)
    return out


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(patience=2, factor=0.5),
        dict(patience=0, factor=0.3, cooldown=3, min_lr=0.002),
        dict(mode="max", patience=1, threshold=0.05),
        dict(threshold_mode="abs", threshold=0.01, patience=2),
        dict(mode="max", threshold_mode="abs", threshold=0.0, patience=3, min_lr=[0.05, 0.0]),
        dict(patience=1, factor=0.9, eps=1e-3),
    ],
)
def test_reduce_on_plateau_matches_torch(kwargs):
    o_opt, t_opt = _pair()
    o = ReduceLROnPlateau(o_opt, **kwargs)
    t = torch.optim.lr_scheduler.ReduceLROnPlateau(t_opt, **kwargs)
    for epoch, m in enumerate(_metrics(1)):
        o.step(m)
        t.step(m)
        assert o.get_last_lr() == t.get_last_lr(), f"epoch {epoch}"
        assert (o.num_bad_epochs, o.cooldown_counter, o.best) == (t.num_bad_epochs, t.cooldown_counter, t.best)
    assert o.get_last_lr() != [0.1, 0.03]  # the sequence did reduce


@pytest.mark.parametrize("patience", [0, 1, 3])
@pytest.mark.parametrize("cooldown", [0, 2])
@pytest.mark.parametrize("threshold_mode", ["rel", "abs"])
def test_reduce_on_plateau_counts_bad_epochs_as_torch_does(patience, cooldown, threshold_mode):
    """A flat metric, then a tiny gain (below threshold), then a real one: every counter as in torch.

    With a flat metric the first drop comes at step patience + 2 (torch's "more than patience bad epochs")."""
    metrics = [1.0] * 12 + [1.0 - 1e-6] * 3 + [0.5] + [0.5] * 8
    kwargs = dict(patience=patience, cooldown=cooldown, threshold_mode=threshold_mode, factor=0.5)
    o_opt, t_opt = _pair()
    o = ReduceLROnPlateau(o_opt, **kwargs)
    t = torch.optim.lr_scheduler.ReduceLROnPlateau(t_opt, **kwargs)
    first_drop = None
    for step, m in enumerate(metrics, start=1):
        o.step(m)
        t.step(m)
        assert o.get_last_lr() == t.get_last_lr(), f"step {step}"
        assert (o.num_bad_epochs, o.cooldown_counter, o.best) == (t.num_bad_epochs, t.cooldown_counter, t.best)
        if first_drop is None and o.get_last_lr()[0] < 0.1:
            first_drop = step
    assert first_drop == patience + 2


def test_reduce_on_plateau_state_dict_round_trip(tmp_path):
    o_opt, _ = _pair()
    a = ReduceLROnPlateau(o_opt, patience=1, cooldown=1)
    ms = _metrics(2)
    for m in ms[:50]:
        a.step(m)
    nn.save({"s": a.state_dict(), "o": o_opt.state_dict()}, tmp_path / "s.safetensors")
    ck = nn.load(tmp_path / "s.safetensors")
    b_opt, _ = _pair()
    b_opt.load_state_dict(ck["o"])
    b = ReduceLROnPlateau(b_opt)
    b.load_state_dict(ck["s"])
    for m in ms[50:]:
        a.step(m)
        b.step(m)
        assert a.get_last_lr() == b.get_last_lr()
    assert a.state_dict() == b.state_dict()


def test_scheduler_works_with_adam_and_rejects_bad_input():
    opt = Adam([Value(np.ones(2))], lr=0.01)
    s = StepLR(opt, step_size=2)
    s.step()
    s.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.001)
    with pytest.raises(TypeError, match="not an Optimizer"):
        StepLR(object(), 1)
    with pytest.raises(ValueError, match="step_size"):
        StepLR(opt, 0)
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode"):
        ReduceLROnPlateau(opt, mode="up")
    with pytest.raises(ValueError, match="min_lrs"):
        ReduceLROnPlateau(opt, min_lr=[0.1, 0.2])
    with pytest.raises(KeyError, match="initial_lr"):
        CosineAnnealingLR(SGD([Value(np.ones(1))], lr=0.1), T_max=3, last_epoch=4)
    before = s.state_dict()
    with pytest.raises(ValueError, match="unexpected keys"):
        s.load_state_dict({**before, "surprise": 1})
    with pytest.raises(ValueError, match="base_lrs"):
        s.load_state_dict({**before, "base_lrs": [0.1, 0.2]})
    assert s.state_dict() == before
    p = ReduceLROnPlateau(opt)
    with pytest.raises(ValueError, match="bad mode"):
        p.load_state_dict({**p.state_dict(), "mode": "sideways"})
    assert p.mode == "min"
