# ruff: noqa: RUF001 (the Greek sigma is the sigmoid, as textbooks write it)
"""Each op's local derivative in words and symbols, one entry per input, keyed by op name.

``explain_backward`` prints these next to the numbers; a test checks that every registered op
has one. Notation: ``x`` the input of a unary op, ``a, b`` (``c``) those of a binary (ternary) one,
``y`` the op's output, ``g`` the upstream gradient; a rule gives dy/d(input) (elementwise for
elementwise ops) or, where no such factor exists, what the vjp does with ``g``.
"""

_ID = "dy/dx = 1 (values move, gradients move back)"
_ROUND = "dy/dx = 0 (piecewise constant)"

RULES = {
    "abs": ("d|x|/dx = sign(x) (0 at 0)",),
    "add": ("d(a+b)/da = 1", "d(a+b)/db = 1"),
    "sub": ("d(a-b)/da = 1", "d(a-b)/db = -1"),
    "mul": ("d(a*b)/da = b", "d(a*b)/db = a"),
    "div": ("d(a/b)/da = 1/b", "d(a/b)/db = -a/b²"),
    "neg": ("d(-x)/dx = -1",),
    "pow": ("d(x^p)/dx = p·x^(p-1)",),
    "pow_value": ("d(a^b)/da = b·a^(b-1)", "d(a^b)/db = a^b·ln a"),
    "square": ("d(x²)/dx = 2x",),
    "reciprocal": ("d(1/x)/dx = -1/x²",),
    "sqrt": ("d√x/dx = 1/(2√x) = 1/(2y)",),
    "exp": ("d(eˣ)/dx = eˣ = y",),
    "exp2": ("d(2ˣ)/dx = 2ˣ·ln 2",),
    "expm1": ("d(eˣ-1)/dx = eˣ = y+1",),
    "log": ("d(ln x)/dx = 1/x",),
    "log2": ("d(log₂x)/dx = 1/(x·ln 2)",),
    "log10": ("d(log₁₀x)/dx = 1/(x·ln 10)",),
    "log1p": ("d(ln(1+x))/dx = 1/(1+x)",),
    "tanh": ("d(tanh x)/dx = 1 - tanh²x = 1 - y²",),
    "sigmoid": ("dσ(x)/dx = σ(x)(1-σ(x)) = y(1-y)",),
    "relu": ("d relu(x)/dx = 1 if x > 0 else 0",),
    "softplus": ("d ln(1+eˣ)/dx = σ(x)",),
    "log_sigmoid": ("d ln σ(x)/dx = 1 - σ(x)",),
    "erf": ("d erf(x)/dx = 2/√π · e^(-x²)",),
    "sin": ("d(sin x)/dx = cos x",),
    "cos": ("d(cos x)/dx = -sin x",),
    "tan": ("d(tan x)/dx = 1 + tan²x",),
    "arcsin": ("d(arcsin x)/dx = 1/√(1-x²)",),
    "arccos": ("d(arccos x)/dx = -1/√(1-x²)",),
    "arctan": ("d(arctan x)/dx = 1/(1+x²)",),
    "sinh": ("d(sinh x)/dx = cosh x",),
    "cosh": ("d(cosh x)/dx = sinh x",),
    "arcsinh": ("d(arcsinh x)/dx = 1/√(x²+1)",),
    "arccosh": ("d(arccosh x)/dx = 1/√(x²-1)",),
    "arctanh": ("d(arctanh x)/dx = 1/(1-x²)",),
    "arctan2": ("d atan2(a,b)/da = b/(a²+b²)", "d atan2(a,b)/db = -a/(a²+b²)"),
    "hypot": ("d√(a²+b²)/da = a/y", "d√(a²+b²)/db = b/y"),
    "logaddexp": ("d ln(eᵃ+eᵇ)/da = eᵃ/(eᵃ+eᵇ)", "d ln(eᵃ+eᵇ)/db = eᵇ/(eᵃ+eᵇ)"),
    "logaddexp2": ("d log₂(2ᵃ+2ᵇ)/da = 2ᵃ/(2ᵃ+2ᵇ)", "d log₂(2ᵃ+2ᵇ)/db = 2ᵇ/(2ᵃ+2ᵇ)"),
    "maximum": ("d max(a,b)/da = 1 where a > b (½ on ties)", "d max(a,b)/db = 1 where b > a (½ on ties)"),
    "minimum": ("d min(a,b)/da = 1 where a < b (½ on ties)", "d min(a,b)/db = 1 where b < a (½ on ties)"),
    "remainder": ("d(a mod b)/da = 1", "d(a mod b)/db = -floor(a/b)"),
    "fmod": ("d fmod(a,b)/da = 1", "d fmod(a,b)/db = -trunc(a/b)"),
    "floor_divide": ("d⌊a/b⌋/da = 0", "d⌊a/b⌋/db = 0"),
    "floor": (_ROUND,),
    "ceil": (_ROUND,),
    "trunc": (_ROUND,),
    "round": (_ROUND,),
    "sign": (_ROUND,),
    "clip": ("dy/dx = 1 inside [lo, hi], 0 outside",),
    "where": ("no derivative for the condition", "dy/da = 1 where cond", "dy/db = 1 where not cond"),
    "astype": ("dy/dx = 1 (the gradient is cast back)",),
    "sum": ("d Σx/dx = 1: g is copied to every summed element",),
    "mean": ("d mean(x)/dx = 1/n: g/n to every element",),
    "max": ("d max(x)/dx = 1 at the maximum (shared evenly between ties)",),
    "min": ("d min(x)/dx = 1 at the minimum (shared evenly between ties)",),
    "logsumexp": ("d ln Σeˣ/dx = softmax(x)",),
    "window_max": ("d max(window)/dx = 1 at each window's first maximum",),
    "reshape": (_ID,),
    "flatten": (_ID,),
    "squeeze": (_ID,),
    "unsqueeze": (_ID,),
    "transpose": ("the gradient is transposed back",),
    "swapaxes": ("the gradient's axes are swapped back",),
    "broadcast_to": ("d/dx: g summed over the broadcast axes",),
    "getitem": ("d x[i]/dx = 1 at the picked elements: g scattered back (added where picked twice)",),
    "scatter_add": ("g gathered at the indices added to",),
    "pad": ("d/dx: g with the padding sliced off",),
    "fold": ("g unfolded into the windows it summed",),
    "sliding_windows": ("each window's g added back to the elements it viewed",),
    "concatenate": ("d/d(input k): the slice of g where input k was placed",),
    "stack": ("d/d(input k): g[k] along the stacked axis",),
    "einsum": ("d/d(operand k): einsum of g with the other operands",),
    "matmul": ("d(a@b)/da: g @ bᵀ", "d(a@b)/db: aᵀ @ g"),
    "tensordot": ("d/da: g contracted with b", "d/db: g contracted with a"),
    "linear": ("d(xWᵀ+b)/dx: g @ W", "d/dW: gᵀ @ x", "d/db: g summed over the batch"),
    "linear_nobias": ("d(xWᵀ)/dx: g @ W", "d/dW: gᵀ @ x"),
    "softmax": ("d softmax(x)/dx: y·(g - Σ g·y)",),
    "log_softmax": ("d log_softmax(x)/dx: g - softmax(x)·Σg",),
    "softmax_nll": ("d(-log softmax(x)[t])/dx = softmax(x) - onehot(t)",),
    "softmax_cross_entropy": ("d/dx = softmax(x) - p (target probabilities p)", "d/dp = -log_softmax(x)"),
    "sigmoid_cross_entropy": ("d/dx = σ(x) - t", "d/dt = -x"),
    "binary_cross_entropy": ("d/dp = (p - t)/(p(1-p))", "d/dt = ln((1-p)/p)"),
}


def rule_for(op, i):
    """The rule text for input ``i`` of ``op`` (an Op), or a plain note for ops without one."""
    rules = RULES.get(op.name)
    if not rules:
        return f"vjp of {op.name} (no rule text; see its definition)"
    return rules[i] if i < len(rules) else rules[-1]
