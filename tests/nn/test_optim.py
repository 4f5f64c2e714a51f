"""Optimisers against torch.optim in float64: the same gradients in, the same parameters and state out."""

import itertools

import numpy as np
import pytest
import torch

import nn
from autograd_core import Value
from autograd_core.errors import DTypeError, ShapeError
from nn.optim import SGD, Adagrad, Adam, AdamW, RMSprop

SHAPES = [(3, 4), (5,), ()]
STEPS = 6
TOL = dict(rtol=1e-10, atol=1e-12)  # the brief asks for 1e-9; float64 agrees far better


def _grads(seed, steps=STEPS):
    """A fixed gradient sequence; param 1 has no gradient at step 2 (both libraries skip it)."""
    rng = np.random.default_rng(seed)
    seq = []
    for t in range(steps):
        seq.append([None if (i == 1 and t == 2) else rng.normal(size=s) for i, s in enumerate(SHAPES)])
    return seq


def _params(seed=1):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s) for s in SHAPES]


def _run_both(ours_cls, torch_cls, kwargs, groups=None, seed=0):
    init = _params()
    ours = [Value(a) for a in init]
    theirs = [torch.tensor(a, requires_grad=True) for a in init]
    if groups is None:
        o, t = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)
    else:
        o = ours_cls([{"params": [ours[i] for i in g["idx"]], **g["opts"]} for g in groups], **kwargs)
        t = torch_cls([{"params": [theirs[i] for i in g["idx"]], **g["opts"]} for g in groups], **kwargs)
    for grads in _grads(seed):
        _set_grads(ours, theirs, grads)
        o.step()
        t.step()
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a.data, b.detach().numpy(), **TOL)
    return o, t, ours, theirs


def _set_grads(ours, theirs, grads):
    for p, q, g in zip(ours, theirs, grads):
        p.grad = None if g is None else g
        q.grad = None if g is None else torch.tensor(g)


def _assert_same_state(o, t):
    so, st = o.state_dict()["state"], t.state_dict()["state"]
    for k, entry in st.items():
        for key, v in entry.items():
            if v is None:
                continue
            ours = np.asarray(so[k][key])
            assert ours.shape == tuple(v.shape), f"state[{k}][{key}]: shape {ours.shape} vs torch's {tuple(v.shape)}"
            np.testing.assert_allclose(ours, v.detach().numpy(), **TOL, err_msg=f"state[{k}][{key}]")


def _sgd_configs():
    for m, d, n, wd, mx in itertools.product([0.0, 0.9], [0.0, 0.3], [False, True], [0.0, 0.1], [False, True]):
        if n and (m == 0 or d != 0):
            continue
        yield dict(lr=0.05, momentum=m, dampening=d, nesterov=n, weight_decay=wd, maximize=mx)


def _adam_configs():
    for ams, wd, mx in itertools.product([False, True], [0.0, 0.1], [False, True]):
        yield dict(lr=0.01, amsgrad=ams, weight_decay=wd, maximize=mx)
    yield dict(lr=0.003, betas=(0.8, 0.95), eps=1e-6)


def _rmsprop_configs():
    for c, m, wd, mx in itertools.product([False, True], [0.0, 0.5], [0.0, 0.1], [False, True]):
        yield dict(lr=0.01, centered=c, momentum=m, weight_decay=wd, maximize=mx)
    yield dict(lr=0.02, alpha=0.9, eps=1e-4)


def _adagrad_configs():
    for lrd, wd, acc, mx in itertools.product([0.0, 0.1], [0.0, 0.1], [0.0, 0.5], [False, True]):
        yield dict(lr=0.1, lr_decay=lrd, weight_decay=wd, initial_accumulator_value=acc, maximize=mx)
    yield dict(lr=0.1, eps=1e-3)


CASES = (
    [(SGD, torch.optim.SGD, c) for c in _sgd_configs()]
    + [(Adam, torch.optim.Adam, c) for c in _adam_configs()]
    + [(AdamW, torch.optim.AdamW, {k: v for k, v in c.items() if k != "weight_decay"}) for c in _adam_configs()]
    + [(AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.3, amsgrad=True))]
    + [(RMSprop, torch.optim.RMSprop, c) for c in _rmsprop_configs()]
    + [(Adagrad, torch.optim.Adagrad, c) for c in _adagrad_configs()]
)


@pytest.mark.parametrize(("ours", "theirs", "kwargs"), CASES, ids=lambda x: getattr(x, "__name__", None) or str(x))
def test_matches_torch(ours, theirs, kwargs):
    o, t, *_ = _run_both(ours, theirs, kwargs)
    _assert_same_state(o, t)


@pytest.mark.parametrize(
    ("ours", "theirs", "kwargs", "opts"),
    [
        (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9), [dict(lr=0.01), dict(momentum=0.5, nesterov=True)]),
        (Adam, torch.optim.Adam, dict(lr=0.01), [dict(betas=(0.5, 0.9)), dict(amsgrad=True, weight_decay=0.2)]),
        (RMSprop, torch.optim.RMSprop, dict(lr=0.01), [dict(centered=True), dict(momentum=0.3)]),
        (Adagrad, torch.optim.Adagrad, dict(lr=0.1), [dict(lr_decay=0.5), dict(eps=1e-3, weight_decay=0.1)]),
    ],
)
def test_param_groups_match_torch(ours, theirs, kwargs, opts):
    groups = [{"idx": [0, 2], "opts": opts[0]}, {"idx": [1], "opts": opts[1]}]
    o, t, *_ = _run_both(ours, theirs, kwargs, groups=groups)
    _assert_same_state(o, t)
    assert [len(g["params"]) for g in o.state_dict()["param_groups"]] == [2, 1]
    assert o.state_dict()["param_groups"][1]["params"] == [2]  # indices run across groups like torch


def test_adagrad_honours_a_groups_initial_accumulator_value():
    """torch.optim.Adagrad fills every group's state from the constructor's value; we use the group's own."""
    p, q = Value(np.ones(2)), Value(np.ones(2))
    opt = Adagrad([{"params": [p]}, {"params": [q], "initial_accumulator_value": 3.0}], initial_accumulator_value=0.5)
    np.testing.assert_array_equal(opt.state[p]["sum"], [0.5, 0.5])
    np.testing.assert_array_equal(opt.state[q]["sum"], [3.0, 3.0])


def _train(opt, params, grads):
    for g in grads:
        for p, gi in zip(params, g):
            p.grad = gi
        opt.step()


OPTS = [
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (Adam, dict(lr=0.01, amsgrad=True)),
    (AdamW, dict(lr=0.01)),
    (RMSprop, dict(lr=0.01, centered=True, momentum=0.5)),
    (Adagrad, dict(lr=0.1, lr_decay=0.01)),
]


@pytest.mark.parametrize(("cls", "kwargs"), OPTS, ids=lambda x: getattr(x, "__name__", ""))
@pytest.mark.parametrize("through_file", [False, True])
def test_state_dict_round_trip_continues_identically(cls, kwargs, through_file, tmp_path):
    grads = _grads(3, steps=8)
    a = [Value(x) for x in _params()]
    opt_a = cls(a, **kwargs)
    _train(opt_a, a, grads[:4])
    sd = opt_a.state_dict()
    if through_file:
        nn.save({"optimizer": sd, "params": [p.data for p in a]}, tmp_path / "ckpt.safetensors")
        loaded = nn.load(tmp_path / "ckpt.safetensors")
        sd, init = loaded["optimizer"], loaded["params"]
    else:
        init = [p.data for p in a]
    b = [Value(x) for x in init]
    opt_b = cls(b, lr=123.0)  # options come from the state dict
    opt_b.load_state_dict(sd)
    _train(opt_a, a, grads[4:])
    _train(opt_b, b, grads[4:])
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize(
    ("ours", "theirs", "kwargs"),
    [
        (Adam, torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
        (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
        (RMSprop, torch.optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.2)),
        (Adagrad, torch.optim.Adagrad, dict(lr=0.1)),
    ],
)
def test_loads_a_converted_torch_state_dict(ours, theirs, kwargs):
    """A torch optimizer's state dict, tensors turned into numpy, resumes here exactly where torch goes."""
    grads = _grads(5, steps=6)
    theirs_p = [torch.tensor(a, requires_grad=True) for a in _params()]
    t = theirs(theirs_p, **kwargs)
    for g in grads[:3]:
        for q, gi in zip(theirs_p, g):
            q.grad = None if gi is None else torch.tensor(gi)
        t.step()
    sd = t.state_dict()
    sd = {
        "state": {
            k: {n: (v.numpy() if torch.is_tensor(v) else v) for n, v in e.items()} for k, e in sd["state"].items()
        },
        "param_groups": sd["param_groups"],
    }
    ours_p = [Value(q.detach().numpy()) for q in theirs_p]
    o = ours(ours_p, lr=1.0)
    o.load_state_dict(sd)
    for g in grads[3:]:
        _set_grads(ours_p, theirs_p, g)
        o.step()
        t.step()
    for a, b in zip(ours_p, theirs_p):
        np.testing.assert_allclose(a.data, b.detach().numpy(), **TOL)


def _snapshot(opt):
    sd = opt.state_dict()
    return repr(sd["param_groups"]), {k: {n: np.copy(v) for n, v in e.items()} for k, e in sd["state"].items()}


@pytest.mark.parametrize(
    ("mutate", "error", "match"),
    [
        (lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])), ValueError, "2 parameter groups"),
        (lambda sd: sd["param_groups"][0]["params"].pop(), ValueError, "has 1 params; this optimizer.s group has 2"),
        (lambda sd: sd["state"][0].__setitem__("exp_avg", np.zeros((4, 3))), ShapeError, r"shape \(4, 3\)"),
        (lambda sd: sd["state"][1].pop("exp_avg_sq"), ValueError, "lacks"),
        (lambda sd: sd["state"][1].__setitem__("momentum_buffer", np.zeros(5)), ValueError, "does not use"),
        (lambda sd: sd["state"].__setitem__(7, {}), ValueError, "unknown param index 7"),
        (lambda sd: sd["param_groups"][0].__setitem__("lr", -1.0), ValueError, "Invalid learning rate"),
        (lambda sd: sd["state"][0].__setitem__("step", float("nan")), ValueError, "finite number"),
        (lambda sd: sd["state"][0].__setitem__("exp_avg", np.zeros((3, 4), dtype=bool)), DTypeError, "bool"),
        (lambda sd: sd.pop("state"), ValueError, "'state' and 'param_groups'"),
    ],
)
def test_bad_state_dict_is_rejected_and_nothing_changes(mutate, error, match):
    import copy

    ps = [Value(x) for x in _params()[:2]]
    opt = Adam(ps, lr=0.01)
    _train(opt, ps, [g[:2] for g in _grads(0, steps=3)])
    before = _snapshot(opt)
    sd = copy.deepcopy(opt.state_dict())
    mutate(sd)
    with pytest.raises(error, match=match):
        opt.load_state_dict(sd)
    after = _snapshot(opt)
    assert before[0] == after[0]
    for k in before[1]:
        for n in before[1][k]:
            np.testing.assert_array_equal(before[1][k][n], after[1][k][n])


def test_loaded_groups_keep_options_the_save_lacks():
    p = Value(np.ones(2))
    opt = SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.5, "params": [0]}]})
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[0]["nesterov"] is True


def test_zero_grad_and_skipping():
    p, q = Value(np.ones(3)), Value(np.ones(2))
    opt = SGD([p, q], lr=0.5)
    p.grad = np.full(3, 2.0)
    opt.step()  # q has no grad: untouched
    np.testing.assert_array_equal(p.data, np.zeros(3))
    np.testing.assert_array_equal(q.data, np.ones(2))
    opt.zero_grad(set_to_none=False)
    assert p.grad is not None and not p.grad.any() and not p.grad.flags.writeable
    assert q.grad is None
    opt.zero_grad()
    assert p.grad is None


def test_updates_rebind_and_keep_dtype():
    p = Value(np.ones((2, 2), dtype=np.float32))
    old = p.data
    opt = Adam([p], lr=0.1)
    p.grad = np.ones((2, 2), dtype=np.float32)
    opt.step()
    assert p.data is not old and np.all(old == 1)  # the old array was never written into
    assert p.dtype == np.float32 and not p.data.flags.writeable
    assert opt.state[p]["exp_avg"].dtype == np.float32


def test_step_with_closure_and_real_backward():
    w = Value(np.array([1.0, -2.0]))
    opt = SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert float(loss) == 5.0
    np.testing.assert_allclose(w.data, [0.8, -1.6])


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda p: SGD([p], lr=-0.1), ValueError, "learning rate"),
        (lambda p: SGD([p], lr=0.1, nesterov=True), ValueError, "Nesterov"),
        (lambda p: SGD([p], lr=0.1, momentum=-1), ValueError, "momentum"),
        (lambda p: Adam([p], betas=(1.0, 0.9)), ValueError, "beta parameter at index 0"),
        (lambda p: Adam([p], eps=-1), ValueError, "eps"),
        (lambda p: RMSprop([p], alpha=-0.1), ValueError, "alpha"),
        (lambda p: Adagrad([p], lr_decay=-1), ValueError, "lr_decay"),
        (lambda p: SGD([], lr=0.1), ValueError, "empty parameter list"),
        (lambda p: SGD(p, lr=0.1), TypeError, "iterable"),
        (lambda p: SGD([p, p], lr=0.1), ValueError, "twice"),
        (lambda p: SGD([{"params": [p]}, {"params": [p]}], lr=0.1), ValueError, "more than one parameter group"),
        (lambda p: SGD([p * 2], lr=0.1), ValueError, "non-leaf"),
        (lambda p: SGD([np.ones(2)], lr=0.1), TypeError, "only optimize Values"),
        (lambda p: SGD([Value(np.arange(3))], lr=0.1), DTypeError, "floating-point"),
        (lambda p: SGD([{"params": [p], "lr": -2}], lr=0.1), ValueError, r"param_groups\[0\]"),
    ],
)
def test_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make(Value(np.ones(2)))


def test_grad_shape_mismatch_is_reported():
    p = Value(np.ones(3))
    opt = SGD([p], lr=0.1)
    p.grad = np.ones(4)
    with pytest.raises(ShapeError, match=r"\(4,\).*\(3,\)"):
        opt.step()


def test_module_parameters_and_repr():
    model = nn.Sequential(*[]) if not hasattr(nn, "Linear") else nn.Linear(3, 2, dtype=np.float64)
    params = list(model.parameters()) or [Value(np.ones(2))]
    opt = AdamW(params)
    assert "AdamW" in repr(opt) and "weight_decay: 0.01" in repr(opt)
    assert opt.param_groups[0]["decoupled_weight_decay"] is True
