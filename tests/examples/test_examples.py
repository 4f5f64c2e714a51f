"""Smoke tests for examples/: each lesson runs at a small size and its claim still holds.

Each example's ``run(...)`` returns its evidence with ``claim_holds``; a regression in the engine
or in nn that breaks a textbook lesson fails here. Sizes are chosen so each test takes seconds.
"""

import importlib.util
import pathlib
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"

pytest.importorskip("matplotlib")


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Small matrices: OpenBLAS threads only cost time (50x on a loaded machine); restored after each test."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


def load(name):
    """Import examples/<name>.py (file names start with digits, so not importable by name)."""
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_01_micrograd_moons(tmp_path, capsys):
    res = load("01_micrograd_moons").run(
        n_samples=40, hidden=(8, 8), steps=30, seed=1, out=tmp_path, min_accuracy=0.9, progress=True
    )
    err = capsys.readouterr().err
    assert "SGD steps" in err and "30/30" in err and "accuracy=" in err  # a progress bar, not silence
    assert res["claim_holds"], res
    assert res["max |scalar - matrix| score"] < 1e-9
    assert (tmp_path / "neuron_graph.dot").exists()
    assert (tmp_path / "01_micrograd_moons.png").exists()


def test_07_linear_collapse_xor(tmp_path):
    res = load("07_linear_collapse_xor").run(n=80, depth=4, steps=150, seed=0, out=tmp_path)
    assert res["claim_holds"], res
    assert res["accuracy deep linear"] <= 0.8 and res["accuracy one tanh"] >= 0.95


def test_05_softmax_nll_gradient(tmp_path):
    res = load("05_softmax_nll_gradient").run(n=6, features=4, classes=3, hidden=5, seed=0, out=tmp_path)
    assert res["claim_holds"], res
    assert res["max |dL/dz - (p - y)/N| in the network"] < 1e-12


def test_09_forward_vs_reverse_counts(tmp_path):
    # Pass and sweep counts are exact; wall time is reported by the script, never asserted here.
    res = load("09_forward_vs_reverse").run(
        sizes=(1, 8), fixed=2, hidden=8, out=tmp_path, check_timing=False, repeats=1
    )
    assert res["claim_holds"], res
    rows = {(r["n"], r["m"]): r for r in res["_rows"]}
    assert rows[(8, 2)]["forward sweeps"] == 16 and rows[(8, 2)]["reverse sweeps"] == 2
    assert rows[(2, 8)]["forward sweeps"] == 4 and rows[(2, 8)]["reverse sweeps"] == 8


def test_02_mse_vs_cross_entropy(tmp_path):
    res = load("02_mse_vs_cross_entropy").run(steps=260, n=60, blob_steps=200, out=tmp_path)
    assert res["claim_holds"], res
    n_mse, n_ce = res["neuron: steps to a < 0.1 (MSE, CE)"]
    assert n_ce * 3 <= n_mse


def test_03_vanishing_gradients(tmp_path):
    res = load("03_vanishing_gradients").run(depth=10, width=16, batch=64, train_steps=3, out=tmp_path)
    assert res["claim_holds"], res
    ratios = res["first/last layer gradient-norm ratio (init, trained)"]
    assert ratios["sigmoid, default init"][0] < 1e-3 < 0.1 < ratios["ReLU, He init"][0]


def test_04_dead_relu(tmp_path):
    res = load("04_dead_relu").run(n=150, width=32, steps=80, seed=0, out=tmp_path)
    assert res["claim_holds"], res
    final = res["dead fraction at the end"]
    assert final["ReLU, lr 0.3"] >= 0.5 > final["ReLU, lr 0.01"]
    assert final["LeakyReLU(0.1), lr 0.3"] == 0 and final["PReLU, lr 0.3"] == 0


def test_06_conv_arithmetic(tmp_path):
    res = load("06_conv_arithmetic").run(image=20, out=tmp_path, alexnet=False)
    assert res["claim_holds"], res
    assert res["shape/parameter mismatches with summary()"] == []


def test_08_tanh_vs_sigmoid(tmp_path):
    res = load("08_tanh_vs_sigmoid").run(steps=150, samples=20, path_steps=10, out=tmp_path)
    assert res["claim_holds"], res
    assert res["same-sign share, single samples (sigmoid, tanh)"] == (1.0, 0.0)


def test_10_static_vs_dynamic(tmp_path):
    # Identity of the two ways is exact; the time per step is reported by the script, never asserted here.
    res = load("10_static_vs_dynamic").run(samples=6, hidden=(4,), steps=4, batch=8, out=tmp_path, check_timing=False)
    assert res["claim_holds"], res
    assert res["bit-identical losses and weights (both models)"] is True
    assert res["data-dependent branch caught by the check"] is True
    assert (tmp_path / "10_static_program.txt").read_text().startswith("def replay(")


def test_11_backprop_step_by_step(tmp_path, capsys):
    res = load("11_backprop_step_by_step").run(out=tmp_path)
    assert res["claim_holds"], res
    lecture, neuron = res["_traces"]
    # the explained totals are the .grad a plain backward gives, leaf by leaf
    assert res["lecture: explained dL/d(a, b, c, f)"] == res["lecture: .grad after backward()"] == [6, -4, -2, 4]
    assert res["neuron: explained do/d(x1, w1, x2, w2, b)"] == res["neuron: .grad after backward()"]
    # each step: the upstream gradient times the local rule; the first step of the lecture is L = d * f
    first = lecture.steps[0]
    assert first.label == "L = mul(d, f)" and float(first.upstream) == 1.0
    assert [(name, rule, float(g)) for name, rule, g in first.inputs] == [
        ("d", "d(a*b)/da = b", -2.0),
        ("f", "d(a*b)/db = a", 4.0),
    ]
    assert neuron.steps[0].inputs[0][1] == "d(tanh x)/dx = 1 - tanh²x = 1 - y²"
    table = capsys.readouterr().out
    assert "L = mul(d, f)" in table and "d(a+b)/da = 1" in table
    html = (tmp_path / "11_lecture_steps.html").read_text()
    assert html.count('class="frame"') == 4 and "<svg" in html  # the start, then one frame per step
    assert "<table>" in lecture._repr_html_() and "d(a*b)/da = b" in lecture._repr_html_()


SCRIPTS = sorted(p.stem for p in EXAMPLES.glob("[0-9][0-9]_*.py"))


def test_every_lesson_is_tested():
    tested = {name[len("test_") :] for name in globals() if name[5:7].isdigit()}
    assert len(SCRIPTS) == 12
    assert all(any(t.startswith(s) for t in tested) for s in SCRIPTS), (SCRIPTS, tested)


@pytest.mark.parametrize("name", SCRIPTS)
def test_help(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        load(name).main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--out" in out and "Claim" in out


def test_main_writes_to_out_and_exits_nonzero_on_a_failed_claim(tmp_path, capsys):
    module = load("05_softmax_nll_gradient")
    res = module.main(["--out", str(tmp_path), "--n", "4", "--classes", "3"])
    assert res["claim_holds"] and (tmp_path / "05_softmax_nll_gradient.png").exists()
    common = load("_common")
    with pytest.raises(SystemExit) as exit_info:
        common.check_claim({"claim_holds": False, "evidence": 1.0}, "a claim that fails")
    assert exit_info.value.code == 1
    assert "CLAIM FAILED" in capsys.readouterr().out


def test_12_whitening(tmp_path):
    res = load("12_whitening").run(n=1000, seed=0, out=tmp_path)
    assert res["claim_holds"], res
    assert max(res["max |cov - I| train (PCA, ZCA)"]) < 1e-6
    assert (tmp_path / "12_whitening.png").exists()
