"""Module system: registration, traversal, modes, state dicts (PyTorch keys, validation before any
assignment), repr, containers, hooks, num_parameters and summary()."""

import numpy as np
import pytest
import torch

import autograd_core as ag
import nn
from nn import Module, ModuleList, Parameter, Sequential


class Block(Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4, dtype=np.float64, seed=0)
        self.bn = nn.BatchNorm1d(4, dtype=np.float64)
        self.scale = Parameter(np.ones(1))
        self.register_buffer("steps", np.array(0))
        self.register_buffer("cache", np.zeros(2), persistent=False)

    def forward(self, x):
        return self.bn(self.fc(x)) * self.scale


class TorchBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 4)
        self.bn = torch.nn.BatchNorm1d(4)
        self.scale = torch.nn.Parameter(torch.ones(1))
        self.register_buffer("steps", torch.tensor(0))
        self.register_buffer("cache", torch.zeros(2), persistent=False)


def make():
    return Sequential(Block(), nn.Linear(4, 2, dtype=np.float64, seed=1))


def test_parameter_defaults():
    p = Parameter([1, 2, 3])
    assert p.dtype == np.float32 and p.requires_grad and p.is_leaf
    assert Parameter(np.zeros(2)).dtype == np.float64
    assert Parameter(np.zeros(2, np.float16)).dtype == np.float16
    assert Parameter(1.0).dtype == np.float32
    with pytest.raises(TypeError):
        Parameter(np.zeros(2, np.int64), dtype=np.int64)


def test_registration_and_traversal_order():
    m = make()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["0.scale", "0.fc.weight", "0.fc.bias", "0.bn.weight", "0.bn.bias", "1.weight", "1.bias"]
    assert [n for n, _ in m.named_modules()] == ["", "0", "0.fc", "0.bn", "1"]
    assert [n for n, _ in m.named_children()] == ["0", "1"]
    assert len(list(m.children())) == 2 and len(list(m.modules())) == 5
    assert [n for n, _ in m.named_buffers()] == [
        "0.steps",
        "0.cache",
        "0.bn.running_mean",
        "0.bn.running_var",
        "0.bn.num_batches_tracked",
    ]
    assert m.num_parameters() == 1 + 12 + 4 + 4 + 4 + 8 + 2


def test_state_dict_keys_match_pytorch():
    ours = Block()
    assert list(ours.state_dict()) == list(TorchBlock().state_dict())
    assert "cache" not in ours.state_dict()


def test_shared_parameters_counted_once():
    lin = nn.Linear(2, 2)
    m = Sequential(lin, lin)
    assert len(list(m.parameters())) == 2 and m.num_parameters() == 6
    assert list(m.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_attribute_assignment_rules():
    m = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="Parameter or None"):
        m.weight = np.zeros((3, 2))
    m.bias = None
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    m.extra = Parameter(np.zeros(1))
    assert "extra" in dict(m.named_parameters())
    del m.extra
    assert "extra" not in dict(m.named_parameters())

    class NoInit(Module):
        def __init__(self):
            self.w = Parameter(np.zeros(1))

    with pytest.raises(AttributeError, match="__init__"):
        NoInit()


def test_reassigning_keeps_order():
    m = make()
    m[0] = Block()
    assert [n for n, _ in m.named_children()] == ["0", "1"]
    lin = m[1]
    lin.weight = Parameter(np.zeros((2, 4)))
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]


def test_train_eval_and_zero_grad():
    m = make()
    assert all(mod.training for mod in m.modules())
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())
    m(np.ones((5, 3))).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_state_dict_round_trip():
    a, b = make(), make()
    a(np.random.default_rng(0).normal(size=(6, 3)))  # move BatchNorm's running statistics
    b.load_state_dict(a.state_dict())
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb
        np.testing.assert_array_equal(va, vb)
        assert va.dtype == vb.dtype
    x = np.ones((2, 3))
    np.testing.assert_array_equal(a.eval()(x).data, b.eval()(x).data)


def test_state_dict_arrays_are_snapshots():
    m = nn.Linear(2, 2)
    sd = m.state_dict()
    before = sd["weight"].copy()
    m.weight.data = m.weight.data + 1
    np.testing.assert_array_equal(sd["weight"], before)
    with pytest.raises(ValueError):
        sd["weight"][0, 0] = 5.0  # read-only: cannot alter the model behind its back


def _snapshot(m):
    return {k: v.copy() for k, v in m.state_dict().items()}


@pytest.mark.parametrize(
    ("edit", "error", "words"),
    [
        (lambda sd: sd.pop("0.fc.weight"), ag.CheckpointError, ["missing keys: 0.fc.weight"]),
        (lambda sd: sd.update(extra=np.zeros(1)), ag.CheckpointError, ["unexpected keys: extra"]),
        (lambda sd: sd.update({"1.bias": np.zeros(3)}), ag.ShapeError, ["1.bias", "(3,)", "(2,)"]),
        (lambda sd: sd.update({"1.bias": np.zeros(2, np.int64)}), ag.CheckpointError, ["1.bias", "int64"]),
        (lambda sd: sd.update({"0.bn.num_batches_tracked": np.array(1.5)}), ag.CheckpointError, ["num_batches"]),
    ],
)
def test_load_state_dict_errors_leave_model_unchanged(edit, error, words):
    m = make()
    before = _snapshot(m)
    sd = {k: v + 1 if v.dtype.kind == "f" else v for k, v in m.state_dict().items()}
    edit(sd)
    with pytest.raises(error) as info:
        m.load_state_dict(sd)
    assert isinstance(info.value, ag.CheckpointError)
    for w in words:
        assert w in str(info.value)
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_load_state_dict_lists_every_problem():
    m = make()
    sd = dict(m.state_dict())
    sd.pop("1.weight")
    sd["0.fc.bias"] = np.zeros(5)
    sd["bogus"] = np.zeros(1)
    with pytest.raises(ag.CheckpointError) as info:
        m.load_state_dict(sd)
    msg = str(info.value)
    assert "missing keys: 1.weight" in msg and "unexpected keys: bogus" in msg and "0.fc.bias" in msg


def test_load_state_dict_non_strict_and_casting():
    m = make()
    sd = {k: v for k, v in m.state_dict().items() if not k.startswith("1.")}
    sd["junk"] = np.zeros(1)
    res = m.load_state_dict(sd, strict=False)
    assert res.missing_keys == ["1.weight", "1.bias"] and res.unexpected_keys == ["junk"]
    f32 = nn.Linear(2, 2)
    f32.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})  # float64 -> float32, as PyTorch
    assert f32.weight.dtype == np.float32
    np.testing.assert_array_equal(f32.weight.data, 1)


def test_load_torch_state_dict_gives_same_outputs():
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    ours = Sequential(nn.Linear(3, 5, dtype=np.float64), _Tanh(), nn.Linear(5, 2, dtype=np.float64))
    ours.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    ours.load_state_dict(tm.state_dict())  # tensors convert through np.asarray too
    x = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_allclose(ours(x).data, tm(torch.tensor(x)).detach().numpy(), rtol=1e-12)


class _Tanh(Module):
    def forward(self, x):
        return ag.tanh(x)


def test_repr_tree_like_pytorch():
    m = Sequential(nn.Linear(2, 3), Sequential(nn.Dropout(0.2), nn.Flatten()))
    t = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Flatten()))
    assert repr(m) == repr(t)
    assert repr(nn.Conv2d(1, 8, 3, padding=1)) == repr(torch.nn.Conv2d(1, 8, 3, padding=1))
    assert repr(nn.BatchNorm2d(4)) == repr(torch.nn.BatchNorm2d(4))
    assert repr(nn.LayerNorm(5)) == repr(torch.nn.LayerNorm(5))
    assert repr(nn.Flatten()) == repr(torch.nn.Flatten())
    assert repr(nn.MaxPool2d(2)) == repr(torch.nn.MaxPool2d(2))
    assert repr(nn.AvgPool2d(3, 2, 1)) == repr(torch.nn.AvgPool2d(3, 2, 1))


def test_sequential_container_protocol():
    a, b, c = nn.Linear(2, 2), nn.Flatten(), nn.Dropout()
    s = Sequential(a, b)
    assert len(s) == 2 and s[0] is a and s[-1] is b and list(s) == [a, b]
    s.append(c)
    assert s[2] is c and len(s) == 3
    sub = s[1:]
    assert isinstance(sub, Sequential) and list(sub) == [b, c]
    del s[0]
    assert list(s) == [b, c] and [n for n, _ in s.named_children()] == ["0", "1"]
    s.insert(0, a)
    assert list(s) == [a, b, c]
    with pytest.raises(IndexError):
        s[3]


def test_module_list():
    layers = ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    layers.append(nn.Linear(2, 1))
    assert [n for n, _ in layers.named_parameters()][-1] == "3.bias"
    assert isinstance(layers[1:], ModuleList) and len(layers[1:]) == 3
    with pytest.raises(NotImplementedError):
        layers(np.ones(2))


def test_forward_hook():
    m = nn.Linear(2, 2)
    seen = []
    h = m.register_forward_hook(lambda mod, inp, out: seen.append(out.shape))
    m(np.ones((3, 2)))
    h.remove()
    m(np.ones((3, 2)))
    assert seen == [(3, 2)]


def test_summary_counts_and_conv_output_sizes():
    model = Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, stride=2, padding=2, dilation=1),
        nn.Conv2d(16, 4, 3, dilation=2, bias=False),
        nn.Flatten(),
        nn.Linear(4 * 3 * 3, 10),
        nn.BatchNorm1d(10),
    )
    s = model.summary((2, 1, 28, 28))

    def size(w, f, s=1, p=0, d=1):
        return (w + 2 * p - d * (f - 1) - 1) // s + 1

    h1 = size(28, 3, 1, 1)
    h2 = h1 // 2
    h3 = size(h2, 5, 2, 2)
    h4 = size(h3, 3, 1, 0, 2)
    assert [r[2] for r in s.rows] == [
        (2, 8, h1, h1),
        (2, 8, h2, h2),
        (2, 16, h3, h3),
        (2, 4, h4, h4),
        (2, 4 * h4 * h4),
        (2, 10),
        (2, 10),
    ]
    counts = [1 * 8 * 9 + 8, 0, 8 * 16 * 25 + 16, 16 * 4 * 9, 0, 36 * 10 + 10, 20]
    assert [r[3] for r in s.rows] == counts
    assert s.total_params == sum(counts) == model.num_parameters()
    text = str(s)
    assert "Conv2d" in text and f"{sum(counts):,}" in text
    assert all(m.training for m in model.modules())  # modes restored
    np.testing.assert_array_equal(model[6].running_mean, 0)  # no statistics touched


def test_summary_nested_and_frozen():
    inner = Sequential(nn.Linear(4, 4), nn.Linear(4, 2))
    model = Sequential(nn.Linear(3, 4), inner)
    model[0].weight.requires_grad_(False)
    s = model.summary((5, 3))
    assert [r[0] for r in s.rows] == ["0", "1", "1.0", "1.1"]
    assert s.output_shape("1") == (5, 2)
    assert s.trainable_params == model.num_parameters() - 12
    printed = []
    model.summary((5, 3), print_fn=printed.append)
    assert printed and "Trainable params" in printed[0]


def test_apply_and_requires_grad():
    m = make()
    seen = []
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen[-1] == "Sequential"
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_deepcopy_gives_independent_trainable_copy():
    import copy

    m = make()
    c = copy.deepcopy(m)
    assert all(a is not b for a, b in zip(m.parameters(), c.parameters()))
    for (k, v), (_, w) in zip(m.state_dict().items(), c.state_dict().items()):
        np.testing.assert_array_equal(v, w, err_msg=k)
    c(np.ones((4, 3))).sum().backward()
    assert all(p.grad is not None for p in c.parameters())
    assert all(p.grad is None for p in m.parameters())
    np.testing.assert_array_equal(m[0].bn.running_mean, 0)  # the original's statistics are its own


def test_to_dtype_casts_parameters_and_float_buffers():
    m = Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).double()
    assert all(p.dtype == np.float64 for p in m.parameters())
    assert m[1].running_mean.dtype == np.float64 and m[1].num_batches_tracked.dtype == np.int64
    assert m(np.ones((4, 2))).dtype == np.float64
    assert m.float()[0].weight.dtype == np.float32
    with pytest.raises(TypeError):
        m.to(np.int32)
