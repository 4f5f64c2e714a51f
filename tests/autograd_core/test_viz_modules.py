"""Module-level drawings: draw_graph(loss, params=model, depth=d) draws each module call as one box."""

import re

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Value, draw_graph, render
from autograd_core.viz import find_renderer
from nn import functional as F

needs_renderer = pytest.mark.skipif(
    find_renderer() is None, reason="no Graphviz renderer: pip install -e '.[test]' brings graphviz-pure"
)


def _cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, seed=0),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, seed=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 2 * 2, 10, seed=2),
    )


def _step(model, backward=True):
    x = np.random.default_rng(0).normal(size=(2, 1, 8, 8)).astype(np.float32)
    loss = F.cross_entropy(model(x), np.array([1, 2]))
    if backward:
        loss.backward()
    return loss


def _node_ids(src):
    return re.findall(r"^\s*(\w+) \[label=", src, flags=re.M)


def test_each_layer_is_one_box_named_as_printed_with_shapes_and_gradient_norms():
    model = _cnn()
    src = draw_graph(_step(model), params=model, depth=1).source
    boxes = re.findall(r'^\s*box\d+ \[label="(.*?)"', src, flags=re.M)
    assert len(boxes) == 8
    first = next(b for b in boxes if b.startswith("0: "))
    assert first.startswith("0: " + repr(model[0]))
    assert "in (2, 1, 8, 8) f32  →  out (2, 8, 8, 8) f32" in first
    assert re.search(r"weight \(8, 1, 3, 3\)  ‖grad‖ \d", first) and "bias (8,)  ‖grad‖" in first
    assert any(b.startswith("6: Flatten") and "out (2, 64) f32" in b for b in boxes)
    # no op of a layer is drawn on its own; the loss op and the loss are
    assert set(_node_ids(src)) == {f"box{i}" for i in range(8)} | {"box7in0", "op0", "v0"}
    assert 'box7in0 [label="{input | (2, 1, 8, 8) float32}"' in src  # the input batch, unseen by any op


@needs_renderer
def test_rendered_module_picture_starts_at_the_input_batch(tmp_path, svg_nodes):
    model = _cnn()
    g = draw_graph(_step(model), params=model, depth=1, rankdir="TB")
    svg = (tmp_path / "step.svg").read_text() if render(g, tmp_path / "step.svg") else ""
    nodes = svg_nodes(svg)
    assert len(nodes) == 11
    assert nodes[0] == ("box7in0", "input (2, 1, 8, 8) float32")
    assert nodes[1][1].startswith("0: Conv2d(1, 8")
    assert [n for n, _ in nodes[-2:]] == ["op0", "v0"]  # the loss op, then the loss itself


def test_before_backward_there_are_no_gradient_norms_and_depth_none_is_the_full_graph():
    model = _cnn()
    loss = _step(model, backward=False)
    src = draw_graph(loss, params=model, depth=1).source
    assert "‖grad‖" not in src and "weight (8, 1, 3, 3)" in src
    assert draw_graph(loss, params=model, depth=None).source == draw_graph(loss, params=model).source


class Block(nn.Module):
    """A residual block: its own glue op (the add) and two children."""

    def __init__(self, seed):
        super().__init__()
        self.fc = nn.Linear(4, 4, seed=seed)
        self.act = nn.Tanh()

    def forward(self, x):
        return x + self.act(self.fc(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = Block(0)
        self.b2 = Block(1)
        self.head = nn.Linear(4, 1, seed=2)

    def forward(self, x):
        return self.head(self.b2(self.b1(x)) * 2.0)  # the * 2.0 belongs to Net itself


def _net_loss():
    model = Net()
    x = np.ones((3, 4))
    loss = (model(x) ** 2).mean()
    loss.backward()
    return model, loss


def _box_titles(src):
    return sorted(t.split("\\n")[0] for t in re.findall(r'^\s*box\d+ \[label="(.*?)"', src, flags=re.M))


def test_depth_counts_levels_below_the_model_and_glue_ops_stay_visible():
    model, loss = _net_loss()
    src1 = draw_graph(loss, params=model, depth=1).source
    assert _box_titles(src1) == [
        "b1: Block(...)",
        "b2: Block(...)",
        "head: Linear(in_features=4, out_features=1, bias=True)",
    ]
    assert "label=mul" in src1  # Net's own * 2.0 is not inside a child: drawn as an op
    src2 = draw_graph(loss, params=model, depth=2).source
    titles = _box_titles(src2)
    assert "b1.fc: Linear(in_features=4, out_features=4, bias=True)" in titles and "b2.act: Tanh()" in titles
    assert "head: Linear(in_features=4, out_features=1, bias=True)" in titles  # a leaf module stays one box
    assert src2.count("label=add") == 2  # each block's residual add, drawn between its children's boxes
    src0 = draw_graph(loss, params=model, depth=0).source
    assert _box_titles(src0) == ["Net(...)"]


def test_a_model_output_as_root_points_from_its_box():
    model = nn.Linear(3, 2, seed=0)
    out = model(np.ones((4, 3)))
    out.backward(np.ones((4, 2)))
    src = draw_graph(out, params=model, depth=0).source
    assert "box0 -> v0" in src and "Linear(in_features=3, out_features=2, bias=True)" in src


def test_bad_depth_or_params_say_what_is_wrong():
    model, loss = _net_loss()
    with pytest.raises(ValueError, match="depth"):
        draw_graph(loss, params=model, depth=-1)
    with pytest.raises(TypeError, match="needs a Module"):
        draw_graph(loss, params={"w": model.head.weight}, depth=1)


def test_named_scope_tags_recorded_nodes_and_nests():
    x = Value(np.ones(3))
    with ag.named_scope("outer") as outer:
        y = x * 2.0
        with ag.named_scope("inner", inputs=(y, np.zeros(2))) as inner:
            z = y.exp()
    w = z.sum()
    assert y._scope is outer and z._scope is inner and w._scope is None
    assert [s.label for s in z._scope.path()] == ["outer", "inner"]
    assert inner.inputs == (((3,), np.dtype("float64"), True, None), ((2,), np.dtype("float64"), False, None))
