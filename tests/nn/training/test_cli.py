"""The autograd-core command line: every subcommand at small size, --help, one-line errors."""

import subprocess
import sys

import numpy as np
import pytest

from autograd_core import opdb
from autograd_core.viz import find_renderer
from nn.training import checks
from nn.training.cli import CLIError, evaluate_expression, main, parse_var

HAS_RENDERER = find_renderer() is not None  # the system's dot or graphviz-pure (the test extra)


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's exits (--help, bad arguments)
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.skipif(not HAS_RENDERER, reason="needs a Graphviz renderer: pip install -e '.[test]' brings graphviz-pure")
def test_demo_tiny(capsys, tmp_path, svg_nodes):
    code, out, err = run(capsys, "demo", "--epochs", "2", "--limit", "300", "--out", str(tmp_path), "--seed", "1")
    assert code == 0, err
    assert "test accuracy:" in out
    assert (tmp_path / "training_curves.png").read_bytes()[:4] == b"\x89PNG"
    svg = (tmp_path / "training_step.svg").read_text()
    assert "<svg" in svg and "cross_entropy" in svg
    # the training step reads as the network: input batch, one box per layer, the loss op, the loss
    nodes = svg_nodes(svg)
    assert len(nodes) == 11, nodes
    assert nodes[0][1] == "input (2, 1, 8, 8) float32", nodes[0]
    assert "0: Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))" in nodes[1][1]
    assert "‖grad‖" in nodes[1][1]
    assert nodes[-1][1].startswith("root scalar float32")
    height = float(svg.split('height="', 1)[1].split("pt", 1)[0])
    assert height < 1000  # one screen (it was 3,664 pt before modules became boxes)
    assert "epoch 2/2" in err  # the progress bar goes to stderr


def test_demo_without_progress_and_without_a_renderer(capsys, tmp_path, no_renderer):
    code, _out, err = run(capsys, "demo", "--epochs", "1", "--limit", "200", "--out", str(tmp_path), "--no-progress")
    assert code == 0
    assert "epoch 1/1" not in err
    notes = [line for line in err.splitlines() if "graphviz" in line.lower()]
    assert len(notes) == 1 and "pip install graphviz-pure" in notes[0]  # one line, saying what to install
    assert (tmp_path / "training_step.dot").read_text().startswith("digraph")


@pytest.mark.skipif(not HAS_RENDERER, reason="needs a Graphviz renderer: pip install -e '.[test]' brings graphviz-pure")
def test_graph_command(capsys, tmp_path):
    path = tmp_path / "neuron.png"
    code, out, _ = run(
        capsys, "graph", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=6.88", "--out", str(path)
    )
    assert code == 0
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert "d/dx = -1.50" in out and "d/db = 0.50" in out
    code, out, _ = run(
        capsys,
        "graph",
        "sum(w @ x) + 2 ** -y",
        "--var",
        "w=1,2",
        "--var",
        "x=3,4",
        "--var",
        "y=1",
        "--out",
        str(tmp_path / "g"),
        "--format",
        "svg",
        "--rankdir",
        "TB",
    )
    assert code == 0 and (tmp_path / "g.svg").exists()
    assert "d/dw = [3. 4.]" in out


def test_graph_dot_format_needs_no_dot(capsys, tmp_path):
    code, _, _ = run(capsys, "graph", "x * x", "--var", "x=3", "--out", str(tmp_path / "g.dot"), "--no-backward")
    assert code == 0
    src = (tmp_path / "g.dot").read_text()
    assert src.startswith("digraph") and "| grad " not in src


@pytest.mark.parametrize(
    "expr,match",
    [
        ("__import__('os').system('echo hacked')", "unsupported syntax"),
        ("x.__class__", "unsupported syntax"),
        ("open('f')", "unknown function 'open'"),
        ("[x for x in y]", "unsupported syntax"),
        ("x if x else x", "unsupported syntax"),
        ("y + 1", "unknown name 'y'"),
        ("x +", "cannot parse"),
        ("'text'", "unsupported syntax"),
        ("1 + 2", "no variables"),
        ("exp(x, base=2)", "unsupported syntax"),
    ],
)
def test_graph_rejects_anything_but_arithmetic(capsys, expr, match):
    code, out, err = run(capsys, "graph", expr, "--var", "x=1")
    assert code == 1
    assert match in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "hacked" not in out


def test_parse_var_and_expression():
    assert parse_var("x=2.5") == ("x", 2.5)
    name, v = parse_var("w=1,2,3")
    assert name == "w" and v.tolist() == [1.0, 2.0, 3.0]
    for bad in ("x", "=2", "2x=1", "x=a"):
        with pytest.raises(CLIError, match="--var"):
            parse_var(bad)
    out, used = evaluate_expression("max(x, 1) - -x", {"x": 3.0, "unused": 1.0})
    assert float(out.data) == 6.0 and set(used) == {"x"}


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--epochs", "zero"],
        ["demo", "--epochs", "0"],
        ["demo", "--lr", "-1"],
        ["graph"],
        ["graph", "x", "--format", "gif"],
        ["graph", "x", "--var", "x=1", "--rankdir", "up"],
        ["bogus"],
        ["gradcheck", "--nope"],
        ["activations", "--xmin", "2", "--xmax", "1"],
    ],
)
def test_bad_arguments_give_one_line_and_nonzero_exit(capsys, argv):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("autograd-core") and "error:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("sub", [[], ["demo"], ["graph"], ["gradcheck"], ["activations"]])
def test_help_everywhere(capsys, sub):
    code, out, _ = run(capsys, *sub, "--help")
    assert code == 0 and "usage: autograd-core" in out


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "demo" in out and "gradcheck" in out


def test_gradcheck_command(capsys):
    code, out, _ = run(capsys, "gradcheck", "--only", "tanh")
    assert code == 0
    assert "tanh" in out and "op:elementwise" in out and "activation" in out and " 0 failed" in out


def test_gradcheck_only_ignores_case(capsys):
    """The README's own example, --only conv, selects Conv1d and Conv2d."""
    code, out, _ = run(capsys, "gradcheck", "--only", "conv")
    assert code == 0
    lines = out.splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"-"}]
    names = [row.split()[0] for row in lines[rules[0] + 1 : rules[1]]]  # the table's body, between its rules
    assert "Conv1d" in names and "Conv2d" in names and "ConvTranspose2d" in names
    assert all("conv" in n.casefold() for n in names) and f"{len(names)} passed, 0 failed" in out
    code, out, _ = run(capsys, "gradcheck", "--only", "LogSumExp")
    assert code == 0 and "logsumexp" in out and "1 passed" in out


def test_gradcheck_only_without_a_match_lists_the_checks(capsys):
    code, out, err = run(capsys, "gradcheck", "--only", "no-such-check")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no check matches --only 'no-such-check'" in err
    listed = err.split("the checks are: ")[1].strip().split(", ")
    assert listed == checks.check_names()
    assert {"add", "matmul", "Conv2d", "relu", "cross_entropy"} <= set(listed)


def _entry(name, fn):
    """A throwaway op database entry for a test op (one input, sampled at [0.5, -1.0, 1.5])."""
    return opdb.OpInfo(name, fn, sample=([np.array([0.5, -1.0, 1.5])], {}), inputs=None)


def test_gradcheck_command_fails_on_a_wrong_gradient(capsys, monkeypatch):
    import autograd_core as ag

    wrong = ag.defop("test_cli_wrong_square", lambda x: x * x, lambda g, out, x: g * x)  # should be 2x
    try:
        monkeypatch.setitem(opdb.BY_NAME, "test_cli_wrong_square", _entry("test_cli_wrong_square", wrong))
        code, out, _ = run(capsys, "gradcheck", "--only", "test_cli_wrong")
        assert code == 1 and "FAIL" in out and "GradcheckError" in out and "1 failed" in out
    finally:
        ag.REGISTRY.pop("test_cli_wrong_square", None)


def test_every_registered_op_has_an_entry_and_passes_second_order():
    assert opdb.coverage() == ([], [])
    results = checks.run_checks(second_order=True)
    assert {r.name for r in results} >= {n for n, op in checks.REGISTRY.items() if op.kind != "custom"}
    failed = [r for r in results if not r.ok]
    assert not failed, checks.format_table(failed)


def test_an_op_without_an_entry_and_an_entry_without_an_op_are_reported(monkeypatch):
    import autograd_core as ag

    ag.defop("test_cli_unsampled", lambda x: x, lambda g, out, x: g, kind="elementwise")
    try:
        (res,) = checks.run_checks(only="test_cli_unsampled")
        assert not res.ok and "no op database entry" in res.detail and "autograd_core/opdb" in res.detail
    finally:
        ag.REGISTRY.pop("test_cli_unsampled", None)
    monkeypatch.setitem(opdb.BY_NAME, "test_cli_unregistered", _entry("test_cli_unregistered", ag.exp))
    (res,) = checks.run_checks(only="test_cli_unregistered")
    assert not res.ok and "naming no registered op" in res.detail


def test_activations_command(capsys, tmp_path):
    path = tmp_path / "act.png"
    code, _out, _ = run(capsys, "activations", "--out", str(path))
    assert code == 0 and path.read_bytes()[:4] == b"\x89PNG"


def test_console_script_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "nn.training.cli", "graph", "x +", "--var", "x=1"], capture_output=True, text=True
    )
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "nn.training.cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("autograd-core ")
