"""Lesson 6: convolution arithmetic, checked against ``Module.summary()``.

Claim: a convolution or pooling layer with input size W, kernel F, stride S and padding P gives
an output of size floor((W + 2P - F) / S) + 1 (floor when S does not divide W + 2P - F, as in
PyTorch), and a Conv2d has C_out * (C_in / groups) * F_h * F_w weights plus C_out biases.
For every layer of a small CNN (including a strided layer that does not divide evenly, a grouped
convolution and one without bias) the output shapes and parameter counts that ``summary()``
reports equal these formulas, computed here independently; so does CS231n's AlexNet example
(227x227x3, 96 filters of 11x11, stride 4: 55x55x96 and 34,944 parameters).

Writes a chart of each layer's output size and parameter count (PNG).
"""

import numpy as np
from _common import check_claim, make_parser, plt, save_figure

import nn


def out_size(w, f, s, p):
    """The textbook formula, written out here rather than imported, so it is an independent check."""
    return (w + 2 * p - f) // s + 1


def small_cnn(rng, image=32):
    side = out_size(out_size(out_size(image, 5, 1, 2) // 2, 3, 2, 1), 3, 2, 0)  # the input of Flatten
    return nn.Sequential(
        nn.Conv2d(3, 8, 5, stride=1, padding=2, rng=rng),  # 32 -> 32 ("same")
        nn.ReLU(),
        nn.MaxPool2d(2),  # 32 -> 16
        nn.Conv2d(8, 16, 3, stride=2, padding=1, rng=rng),  # 16 -> 8
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=0, groups=4, rng=rng),  # 8 -> 3: (8 - 3) / 2 = 2.5, floored
        nn.ReLU(),
        nn.Conv2d(32, 32, 1, bias=False, rng=rng),  # 1x1: channel mixing only
        nn.Flatten(),
        nn.Linear(32 * side * side, 10, rng=rng),
    )


def expected_rows(model, input_shape):
    """(name, expected output shape, expected own parameter count) per layer, by the formulas."""
    n, c, h, w = input_shape
    shape, rows = (n, c, h, w), []
    for name, m in model.named_children():
        if isinstance(m, nn.Conv2d):
            (fh, fw), (sh, sw), (ph, pw) = m.kernel_size, m.stride, m.padding
            shape = (n, m.out_channels, out_size(shape[2], fh, sh, ph), out_size(shape[3], fw, sw, pw))
            params = m.out_channels * (m.in_channels // m.groups) * fh * fw + (
                m.out_channels if m.bias is not None else 0
            )
        elif isinstance(m, nn.MaxPool2d):
            f, s = m.kernel_size, m.stride
            shape = (n, shape[1], out_size(shape[2], f, s, m.padding), out_size(shape[3], f, s, m.padding))
            params = 0
        elif isinstance(m, nn.Flatten):
            shape, params = (n, int(np.prod(shape[1:]))), 0
        elif isinstance(m, nn.Linear):
            shape, params = (n, m.out_features), m.in_features * m.out_features + m.out_features
        else:  # activations keep the shape
            params = 0
        rows.append((name, type(m).__name__, shape, params))
    return rows


def compare(model, input_shape):
    summary = model.summary(input_shape)
    got = {r[0]: (r[2], r[3]) for r in summary.rows}
    want = expected_rows(model, input_shape)
    mismatches = [
        (name, got.get(name), (shape, params)) for name, _, shape, params in want if got.get(name) != (shape, params)
    ]
    total_ok = summary.total_params == sum(r[3] for r in want)
    return summary, want, mismatches, total_ok


def run(image=32, seed=0, out="out", plot=True, alexnet=True):
    rng = np.random.default_rng(seed)
    model = small_cnn(rng, image)
    summary, want, mismatches, total_ok = compare(model, (1, 3, image, image))
    result = {
        "_summary": summary,
        "layers checked": len(want),
        "shape/parameter mismatches with summary()": mismatches,
        "total parameters (summary, formula)": (summary.total_params, sum(r[3] for r in want)),
    }
    holds = not mismatches and total_ok
    if alexnet:
        conv1 = nn.Sequential(nn.Conv2d(3, 96, 11, stride=4, padding=0, rng=rng))
        s = conv1.summary((1, 3, 227, 227))
        shape, params = s.rows[0][2], s.rows[0][3]
        result["AlexNet conv1 (summary): output, params"] = (shape, params)
        holds = holds and shape == (1, 96, 55, 55) and params == 34_944
    files = []
    if plot:
        reported = {r[0]: (r[2], r[3]) for r in summary.rows}
        spatial = [r for r in want if len(r[2]) == 4]
        weighted = [r for r in want if r[1] in ("Conv2d", "Linear")]
        label = lambda r: f"{r[0]}: {r[1]}"
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4))
        a1.bar([label(r) for r in spatial], [reported[r[0]][0][2] for r in spatial])
        a1.plot([label(r) for r in spatial], [r[2][2] for r in spatial], "kx", ms=10, label="(W + 2P - F) // S + 1")
        a1.set_ylabel("output height = width")
        a1.set_title(f"spatial size, input {image}x{image}: summary() bars, formula crosses", fontsize=10)
        a1.legend(fontsize=8)
        a2.bar([label(r) for r in weighted], [reported[r[0]][1] for r in weighted], color="tab:green")
        a2.plot([label(r) for r in weighted], [r[3] for r in weighted], "kx", ms=10, label="C_out (C_in/g) F F + C_out")
        a2.set_ylabel("parameters")
        a2.set_title("parameters per layer: summary() bars, formula crosses", fontsize=10)
        a2.legend(fontsize=8)
        for ax in (a1, a2):
            ax.tick_params(axis="x", labelsize=8, labelrotation=35)
        files.append(save_figure(fig, out, "06_conv_arithmetic.png"))
    result["claim_holds"] = bool(holds)
    result["files"] = files
    return result


def main(argv=None):
    p = make_parser(__doc__)
    p.add_argument("--image", type=int, default=32, help="input height and width (default 32)")
    a = p.parse_args(argv)
    res = run(image=a.image, seed=a.seed, out=a.out)
    print(res["_summary"])
    return check_claim(res, "summary() shapes and parameter counts equal the convolution formulas")


if __name__ == "__main__":
    main()
