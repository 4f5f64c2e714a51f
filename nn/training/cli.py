"""The ``autograd-core`` command: demo, graph, gradcheck, activations.

Every subcommand has ``--help``. Bad arguments and expected failures (a missing optional
dependency, an expression that does not parse) print one line, ``autograd-core: error: ...``,
and exit non-zero; set ``AUTOGRAD_CORE_DEBUG=1`` to see the traceback instead.
``graph`` parses its expression with ``ast`` against a whitelist (numbers, named variables,
+ - * / ** @, unary minus and a fixed set of functions): it never evaluates Python code.
"""

import argparse
import ast
import os
import sys
import time

import numpy as np

PROG = "autograd-core"


class CLIError(Exception):
    """An expected failure: reported as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (and exit status 2) instead of usage + message."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# -- demo ------------------------------------------------------------------------------------------
def _digits_cnn(seed):
    import nn

    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, seed=seed),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, seed=seed + 1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 2 * 2, 10, seed=seed + 2),
    )


def cmd_demo(args):
    """Train a small CNN on the 8x8 digits; write the learning curves and one training step's graph."""
    import nn
    from autograd_core import draw_graph, render
    from autograd_core.viz import RendererNotFoundError
    from nn import functional as F
    from nn.data import train_test_split
    from nn.training.datasets import load_digits
    from nn.training.loop import EarlyStopping, evaluate, fit
    from nn.training.plots import plot_history

    t0 = time.perf_counter()
    X, y = load_digits()
    if args.limit:
        X, y = X[: args.limit], y[: args.limit]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=args.seed)
    model = _digits_cnn(args.seed)
    print(
        f"digits: {len(X_train)} training and {len(X_test)} test images of 8x8; model: {model.num_parameters():,} parameters"
    )
    optimizer = nn.optim.Adam(model.parameters(), lr=args.lr)
    history = fit(
        model,
        F.cross_entropy,
        optimizer,
        (X_train, y_train),
        epochs=args.epochs,
        validation_split=0.15,
        batch_size=args.batch_size,
        seed=args.seed,
        early_stopping=EarlyStopping(patience=args.patience, restore_best_weights=True),
        progress=not args.no_progress,
    )
    stopped = f", stopped early after epoch {history.stopped_epoch + 1}" if history.stopped_epoch is not None else ""
    print(f"trained {len(history)} epochs{stopped}; best epoch {history.best_epoch + 1} (weights restored)")
    test = evaluate(model, F.cross_entropy, (X_test, y_test))
    print(f"test accuracy: {test['accuracy']:.2%}  (test loss {test['loss']:.4f})")

    os.makedirs(args.out, exist_ok=True)
    curves = os.path.join(args.out, "training_curves.png")
    plot_history(history, curves, title="CNN on the 8x8 digits")
    print(f"wrote {curves}")
    # one training step on two images, drawn as the network: one box per layer, from the input batch
    # to the loss, with each parameter's gradient norm after a plain backward
    loss = F.cross_entropy(model(X_train[:2]), y_train[:2])
    model.zero_grad()
    loss.backward()
    graph = draw_graph(
        loss, params=model, depth=1, rankdir="TB", title="one training step: cross_entropy(cnn(x[:2]), y[:2])"
    )
    svg = os.path.join(args.out, "training_step.svg")
    try:
        render(graph, svg)
        print(f"wrote {svg}")
    except RendererNotFoundError as err:
        print(f"note: {err}", file=sys.stderr)
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


# -- graph -----------------------------------------------------------------------------------------
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}


def _functions():
    import autograd_core as ag

    return {
        "exp": ag.exp,
        "log": ag.log,
        "sqrt": ag.sqrt,
        "tanh": ag.tanh,
        "sigmoid": ag.sigmoid,
        "relu": ag.relu,
        "abs": ag.abs,
        "softplus": ag.softplus,
        "sum": lambda x: ag.sum(x),
        "mean": lambda x: ag.mean(x),
        "max": lambda x, y=None: ag.max(x) if y is None else ag.maximum(x, y),
        "min": lambda x, y=None: ag.min(x) if y is None else ag.minimum(x, y),
        "logsumexp": lambda x: ag.logsumexp(x),
    }


def parse_var(text):
    """``name=VALUE`` or ``name=v1,v2,...`` -> (name, float or float array)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise CLIError(f"--var expects NAME=VALUE (e.g. x=2.0 or w=1,2,3), got {text!r}")
    try:
        parts = [float(v) for v in value.split(",")]
    except ValueError:
        raise CLIError(f"--var {name}: {value!r} is not a number or a comma-separated list of numbers") from None
    return name, (parts[0] if len(parts) == 1 and "," not in value else np.array(parts))


def evaluate_expression(expr, variables):
    """Evaluate ``expr`` on Values with a whitelist of syntax; returns (result, {name: Value})."""
    from autograd_core import Value

    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as err:
        raise CLIError(f"cannot parse expression {expr!r}: {err.msg}") from None
    funcs = _functions()
    leaves = {name: Value(v, name=name) for name, v in variables.items()}
    used = {}

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                raise CLIError(f"unknown name {node.id!r}: give it a value with --var {node.id}=VALUE")
            used[node.id] = leaves[node.id]
            return leaves[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            a, b = ev(node.left), ev(node.right)
            op = type(node.op)
            if op is ast.Add:
                return a + b
            if op is ast.Sub:
                return a - b
            if op is ast.Mult:
                return a * b
            if op is ast.Div:
                return a / b
            if op is ast.Pow:
                return a**b
            return a @ b
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            fn = funcs.get(node.func.id)
            if fn is None:
                raise CLIError(f"unknown function {node.func.id!r}; allowed: {', '.join(sorted(funcs))}")
            return fn(*[ev(a) for a in node.args])
        raise CLIError(
            f"unsupported syntax in expression: {ast.unparse(node)!r} (allowed: numbers, names, "
            "+ - * / ** @, unary minus and the functions " + ", ".join(sorted(funcs)) + ")"
        )

    result = ev(tree)
    if not isinstance(result, Value):
        raise CLIError("the expression uses no variables: nothing to differentiate (add one with --var x=VALUE)")
    return result, used


def cmd_graph(args):
    """Draw the graph of an arithmetic expression (after backward, so leaves show their gradients)."""
    from autograd_core import draw_graph, render

    variables = dict(parse_var(v) for v in args.var)
    out, used = evaluate_expression(args.expr, variables)
    if out.requires_grad and out.size == 1 and not args.no_backward:
        out.backward(retain_graph=True)
    g = draw_graph(out, rankdir=args.rankdir, title=args.expr if not args.no_title else None)
    path = args.out
    if args.format and not os.path.splitext(path)[1]:
        path = f"{path}.{args.format}"
    path = render(g, path, format=args.format)
    print(f"{args.expr} = {np.array2string(np.asarray(out.numpy()), precision=6)}")
    for name, v in used.items():
        if v.grad is not None:
            print(f"  d/d{name} = {np.array2string(np.asarray(v.grad), precision=6)}")
    print(f"wrote {path}")
    return 0


# -- gradcheck / activations -------------------------------------------------------------------------
def cmd_gradcheck(args):
    """Gradient checks over every registered op, layer, activation and loss; exit 1 on any failure."""
    from nn.training.checks import all_cases, check_names, format_table, run_checks

    cases = all_cases()
    results = run_checks(fast=args.fast, second_order=args.second_order, only=args.only, cases=cases)
    if not results:
        names = ", ".join(check_names(cases))
        raise CLIError(f"no check matches --only {args.only!r} (case-insensitive); the checks are: {names}")
    print(format_table(results))
    return 0 if all(r.ok for r in results) else 1


def cmd_activations(args):
    """Plot every activation and its autograd derivative to one image."""
    from nn.training.plots import activation_gallery

    path = args.out
    activation_gallery(path, lo=args.xmin, hi=args.xmax)
    print(f"wrote {path}")
    return 0


# -- parser --------------------------------------------------------------------------------------------
def _positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {v}")
    return v


def _positive_float(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {v}")
    return v


def build_parser():
    """The ``autograd-core`` argument parser: subcommands demo, graph, gradcheck and activations."""
    p = _Parser(
        prog=PROG, description="autograd-core: reverse-mode autodiff on numpy, with a small neural-network library."
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    d = sub.add_parser(
        "demo", help="train a CNN on the 8x8 digits (progress bar, early stopping, plots)", description=cmd_demo.__doc__
    )
    d.add_argument("--epochs", type=_positive_int, default=20, help="most epochs to train (default 20)")
    d.add_argument("--batch-size", type=_positive_int, default=32, help="batch size (default 32)")
    d.add_argument("--lr", type=_positive_float, default=0.01, help="Adam learning rate (default 0.01)")
    d.add_argument("--patience", type=int, default=3, help="early-stopping patience in epochs (default 3)")
    d.add_argument("--seed", type=int, default=0, help="random seed for the split, init and shuffling (default 0)")
    d.add_argument("--limit", type=_positive_int, default=None, help="use only the first N images (quick runs)")
    d.add_argument("--out", default="out", help="output folder (default ./out)")
    d.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    d.set_defaults(func=cmd_demo)

    g = sub.add_parser(
        "graph",
        help="draw the computation graph of an arithmetic expression",
        description=cmd_graph.__doc__,
        epilog='example: autograd-core graph "tanh(x*w + b)" --var x=2 --var w=-3 --var b=6.88',
    )
    g.add_argument("expr", help="expression over named variables: numbers, + - * / ** @, and exp log sqrt tanh ...")
    g.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable's value: x=2.0 or a vector w=1,2,3 (repeatable)",
    )
    g.add_argument("--out", default="graph.svg", help="output file; its suffix picks the format (default graph.svg)")
    g.add_argument(
        "--format", choices=["svg", "png", "pdf", "dot"], default=None, help="output format (overrides the suffix)"
    )
    g.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], default="LR", help="layout direction (default LR)")
    g.add_argument("--no-backward", action="store_true", help="do not run backward (no gradients in the drawing)")
    g.add_argument("--no-title", action="store_true", help="leave the expression out of the drawing")
    g.set_defaults(func=cmd_graph)

    c = sub.add_parser(
        "gradcheck",
        help="finite-difference checks of every op, layer, activation and loss",
        description=cmd_gradcheck.__doc__,
    )
    c.add_argument("--fast", action="store_true", help="random projections instead of full Jacobians")
    c.add_argument("--second-order", action="store_true", help="also gradgradcheck the registered ops")
    c.add_argument(
        "--only",
        default=None,
        metavar="TEXT",
        help="run only checks whose name contains TEXT, ignoring case (e.g. conv)",
    )
    c.set_defaults(func=cmd_gradcheck)

    a = sub.add_parser(
        "activations", help="plot every activation and its derivative", description=cmd_activations.__doc__
    )
    a.add_argument(
        "--out", default=os.path.join("out", "activations.png"), help="output image (default out/activations.png)"
    )
    a.add_argument("--xmin", type=float, default=-4.0, help="left end of the x range (default -4)")
    a.add_argument("--xmax", type=float, default=4.0, help="right end of the x range (default 4)")
    a.set_defaults(func=cmd_activations)
    return p


def _version():
    try:
        from autograd_core import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "unknown"


def main(argv=None):
    """Entry point of the ``autograd-core`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "xmin", 0) >= getattr(args, "xmax", 1):
        parser.error("--xmin must be less than --xmax")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:
        if os.environ.get("AUTOGRAD_CORE_DEBUG"):
            raise
        msg = str(err).splitlines()[0] if str(err) else type(err).__name__
        kind = "" if isinstance(err, CLIError) else f"{type(err).__name__}: "
        print(f"{PROG} {args.command}: error: {kind}{msg}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
