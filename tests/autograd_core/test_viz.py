"""Graph drawings: DOT structure (nodes, edges, labels, clusters), escaping, the cap, freed graphs, rendering."""

import re
import shutil
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value, draw_graph, render
from autograd_core.viz import DotNotFoundError, RendererNotFoundError, escape_record, find_renderer, rendering

needs_dot = pytest.mark.skipif(
    find_renderer() is None, reason="no Graphviz renderer: pip install -e '.[test]' brings graphviz-pure"
)


def _neuron():
    x = Value(2.0, name="x")
    w = Value(-3.0, name="w")
    b = Value(6.88, name="b")
    out = (x * w + b).tanh()
    return x, w, b, out


def _nodes(src):
    return re.findall(r"^\s*(\w+) \[label=", src, flags=re.M)


def _edges(src):
    return re.findall(r"^\s*(\w+) -> (\w+)", src, flags=re.M)


def test_one_node_per_value_and_per_op():
    *_, out = _neuron()
    src = draw_graph(out).source
    nodes = _nodes(src)
    values = [n for n in nodes if n.startswith("v")]
    ops = [n for n in nodes if n.startswith("op")]
    assert len(values) == 6  # x, w, b, x*w, x*w+b, tanh
    assert len(ops) == 3
    assert len(set(nodes)) == len(nodes)
    # every op has one edge to its output and one edge from each input
    edges = _edges(src)
    assert len(edges) == 3 + 2 + 2 + 1
    assert ("op0", "v0") in edges


def test_labels_show_name_shape_dtype_data_and_grad():
    *_, out = _neuron()
    out.backward(retain_graph=True)
    src = draw_graph(out).source
    assert "x | scalar float64 | data 2 | grad " in src
    assert "root | scalar float64" in src
    for op in ("mul", "add", "tanh"):
        assert f"label={op} " in src
    small = Value(np.arange(4.0, dtype=np.float32).reshape(2, 2))
    big = Value(np.zeros((10, 10)))
    src = draw_graph(small.sum() + big.sum()).source
    assert "(2, 2) float32 | data [[0., 1.], [2., 3.]]" in src
    assert "(10, 10) float64}" in src  # too big for its numbers
    assert "data" not in draw_graph(out, show_values=False).source


def test_leaves_constants_and_root_are_styled_apart():
    x = Value(np.ones(3))
    c = Value(np.ones(3), requires_grad=False)
    y = ((x * c) * 2.0).sum()
    src = draw_graph(y).source
    fill = dict(re.findall(r"^\s*(\w+) \[label=.*?fillcolor=\"(#\w+|\w+)\"", src, flags=re.M))
    root, ops = fill["v0"], {fill[n] for n in fill if n.startswith("op")}
    leaf_line = next(line for line in src.splitlines() if "{leaf |" in line)
    const_line = next(line for line in src.splitlines() if "{constant |" in line)
    number_line = next(line for line in src.splitlines() if "{const 2}" in line)
    assert "dashed" in const_line and "dashed" in number_line and "dashed" not in leaf_line
    assert len({root, *ops}) == 2
    assert "penwidth=2" in src.splitlines()[4]


def test_edges_of_non_commutative_ops_are_numbered():
    a, b = Value(1.0), Value(2.0)
    src = draw_graph(a / b).source
    assert re.search(r"-> op0 \[label=0", src) and re.search(r"-> op0 \[label=1", src)
    assert "label=0" not in draw_graph(a + b).source


def test_rankdir():
    _, _, _, out = _neuron()
    assert "rankdir=TB" in draw_graph(out, rankdir="TB").source
    # records lie side by side in both directions: braces only for LR
    assert "{root |" not in draw_graph(out, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(out, rankdir="up")
    with pytest.raises(TypeError, match="Value"):
        draw_graph(3.0)


class _Mod:
    """A duck-typed Module: named_parameters() and named_modules(), nothing from nn."""

    def __init__(self):
        self.w1, self.b1 = Value(np.ones((2, 2))), Value(np.zeros(2))
        self.w2 = Value(np.ones((2, 1)))

    def named_parameters(self):
        return [("enc.fc.weight", self.w1), ("enc.fc.bias", self.b1), ("head.weight", self.w2)]

    def named_modules(self):
        return [("", self), ("enc", object()), ("enc.fc", _Lin()), ("head", _Lin())]


class _Lin:
    pass


def test_parameters_named_from_a_module_with_nested_clusters():
    m = _Mod()
    x = Value(np.ones((3, 2)), requires_grad=False)
    h = (x @ m.w1 + m.b1).relu()
    y = (h @ m.w2).sum()
    src = draw_graph(y, params=m).source
    assert "subgraph cluster_enc {" in src and "subgraph cluster_enc_fc {" in src and "subgraph cluster_head {" in src
    assert 'label="enc.fc (_Lin)"' in src
    enc_fc = src[src.index("subgraph cluster_enc_fc") :]
    assert "enc.fc.weight |" in enc_fc.split("}\n")[0] + enc_fc
    # a plain dict works too; names without a dot are not clustered
    src = draw_graph(y, params={"W": m.w1}).source
    assert "{W | (2, 2) float64" in src and "cluster" not in src


def test_labels_are_escaped():
    assert escape_record('a|b{c}<d>"e\\') == 'a\\|b\\{c\\}\\<d\\>\\"e\\\\'
    x = Value(1.0, name='weird |{<name>}" \\ here')
    src = draw_graph(x * 2.0).source
    assert 'weird \\|\\{\\<name\\>\\}\\" \\\\ here' in src


@needs_dot
def test_escaped_labels_render(tmp_path):
    x = Value(1.0, name='weird |{<name>}" \\ here')
    path = render(x * 2.0, tmp_path / "weird.svg")
    with open(path) as f:
        assert "weird" in f.read()


def test_cap_truncates_a_long_chain_quickly_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    g = draw_graph(y, max_nodes=50)
    assert g.truncated
    assert len([n for n in _nodes(g.source) if n.startswith("v")]) == 50
    assert "showing 50 of 100,001 values (max_nodes=50)" in g.source
    assert "more -> op49" in g.source
    assert not draw_graph(x * 2.0, max_nodes=50).truncated
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(y, max_nodes=0)


def test_deep_chain_without_cap_does_not_recurse():
    y = Value(1.0)
    for _ in range(5_000):
        y = y + 1.0
    src = draw_graph(y, max_nodes=None, show_values=False).source
    assert src.count("label=add") == 5_000


def _labels(src):
    return dict(re.findall(r'^\s*(\w+) \[label="(.*?)"', src, flags=re.M))


def _lecture():
    """micrograd's lecture expression (Karpathy, "The spelled-out intro to neural networks")."""
    a, b, c, f = Value(2.0, name="a"), Value(-3.0, name="b"), Value(10.0, name="c"), Value(-2.0, name="f")
    e = a * b
    e.name = "e"
    d = e + c
    d.name = "d"
    L = d * f
    L.name = "L"
    return L


EXPECTED_LECTURE = {"a": (2, 6), "b": (-3, -4), "c": (10, -2), "e": (-6, -2), "d": (4, -2), "f": (-2, 4), "L": (-8, 1)}


def test_after_a_plain_backward_every_node_shows_data_and_grad():
    L = _lecture()
    L.backward()
    values = {k: v for k, v in _labels(draw_graph(L).source).items() if k.startswith("v")}
    assert len(values) == 7
    shown = {}
    for label in values.values():
        m = re.match(r"\{(\w+)(?: \(root\))? \| scalar float64 \| data (\S+) \| grad (\S+)\}", label)
        assert m, label
        shown[m[1]] = (float(m[2]), float(m[3]))
    assert shown == EXPECTED_LECTURE
    assert "freed" not in draw_graph(L).source
    with pytest.raises(ag.GraphError, match="retain_graph"):
        L.backward()  # the buffers are gone all the same


def test_a_neuron_after_backward_shows_every_node_with_data_and_grad():
    """micrograd's neuron: tanh(x1*w1 + x2*w2 + b), drawn from its output alone."""

    def neuron():
        x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
        b = Value(6.8813735870195432)
        return (x1 * w1 + x2 * w2 + b).tanh()

    o = neuron()
    o.backward()
    values = [v for k, v in _labels(draw_graph(o).source).items() if k.startswith("v")]
    assert len(values) == 10  # 5 leaves, 2 products, 2 sums, tanh
    assert all(re.search(r"data \S+ \| grad \S+", v) for v in values), values
    assert any("data 0.7071 | grad 1" in v for v in values)  # the output
    assert any("data 0.8814 | grad 0.5" in v for v in values)  # the pre-activation


def test_big_tensors_are_freed_by_backward_but_still_drawn():
    x = Value(np.ones((10, 10)), name="x")
    h = (x * 2.0).tanh()
    ref = weakref.ref(h)
    y = h.sum()
    del h
    y.backward()
    assert ref() is None  # the root no longer holds the 100-element activation
    src = draw_graph(y).source
    assert src.count("(10, 10) float64") == 3  # x, x * 2 and the tanh: shapes only, their arrays are gone
    assert "‖grad‖" in src  # the leaf's big gradient as its norm
    assert "label=tanh" in src and "label=mul" in src


def test_op_params_are_shown():
    x = Value(np.ones((2, 3)))
    src = draw_graph(x.sum(axis=1)).source
    assert "sum\\naxis=1" in src


@needs_dot
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_render_with_dot(tmp_path, fmt, magic):
    _, _, _, out = _neuron()
    path = render(out, tmp_path / f"g.{fmt}")
    with open(path, "rb") as f:
        assert f.read(5).startswith(magic)


@needs_dot
def test_render_format_argument_and_repr_svg(tmp_path):
    _, _, _, out = _neuron()
    path = render(draw_graph(out), tmp_path / "noext", format="png")
    assert path.endswith("noext.png")
    svg = out._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "tanh" in svg
    with pytest.raises(ValueError, match="format"):
        render(out, tmp_path / "g.jpg")
    with pytest.raises(TypeError):
        render(3, tmp_path / "g.svg")


def test_without_a_renderer_the_source_is_written_and_one_line_says_what_to_install(tmp_path, no_renderer):
    _, _, _, out = _neuron()
    with pytest.raises(DotNotFoundError, match="pip install graphviz-pure") as info:
        render(out, tmp_path / "g.svg")
    assert isinstance(info.value, RuntimeError) and info.type is RendererNotFoundError
    assert "\n" not in str(info.value) and "apt-get install graphviz" in str(info.value)
    dot_file = tmp_path / "g.dot"
    assert dot_file.read_text().startswith("digraph")
    assert str(dot_file) in str(info.value)
    # Jupyter reprs degrade to nothing / plain text rather than raising
    assert out._repr_svg_() is None
    assert draw_graph(out)._repr_mimebundle_()["text/plain"].startswith("digraph")
    # the DOT source itself never needs a renderer
    assert render(out, tmp_path / "g2.dot").endswith("g2.dot")


def _graphviz_pure():
    import os
    import sysconfig

    found = shutil.which("graphviz-pure") or os.path.join(sysconfig.get_path("scripts"), "graphviz-pure")
    assert os.path.exists(found), "graphviz-pure is part of the test extra: pip install -e '.[test]'"
    return found


@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_graphviz_pure_renders_without_a_system_graphviz(tmp_path, monkeypatch, fmt, magic, svg_nodes):
    monkeypatch.setattr(rendering, "find_renderer", _graphviz_pure)
    L = _lecture()
    L.backward()
    path = render(L, tmp_path / f"lecture.{fmt}")
    data = (tmp_path / f"lecture.{fmt}").read_bytes()
    assert path.endswith(fmt) and data.startswith(magic)
    if fmt == "svg":
        names = {name for name, _ in svg_nodes(data.decode())}
        assert names == set(_nodes(draw_graph(L).source))  # every node of the DOT source, laid out


def test_the_system_dot_comes_first(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_renderer() == str(fake)
