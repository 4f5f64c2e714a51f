"""Shared plumbing for the example scripts: argparse with --out, the Agg backend, saving figures,
and a claim check that prints the evidence and fails loudly when a lesson stops holding.

Run as scripts, the examples limit BLAS to one thread (when threadpoolctl, a scikit-learn
dependency, is installed): they multiply small matrices, where OpenBLAS's thread pool costs far
more than it saves; on a busy 2-core machine its spinning threads made them up to 50x slower.
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the backend

__all__ = ["check_claim", "limit_blas_threads", "make_parser", "plt", "save_figure"]


def limit_blas_threads():
    """One BLAS thread for the rest of the process (a no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: only a speed matter
        return None
    return threadpool_limits(1, user_api="blas")


def make_parser(doc, seed=0):
    """An ArgumentParser whose description is the script's docstring, with --out and --seed.

    Called from a script's main(), so it also limits BLAS threads (see the module docstring).
    """
    limit_blas_threads()
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="out", help="directory for the plots and drawings (default: ./out)")
    p.add_argument("--seed", type=int, default=seed, help=f"random seed (default: {seed})")
    return p


def save_figure(fig, out, name):
    """Save ``fig`` as ``out/name`` (creating ``out``), close it, and return the path."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def check_claim(result, claim):
    """Print the evidence in ``result`` and raise SystemExit(1) unless ``result['claim_holds']``."""
    print(f"Claim: {claim}")
    for k, v in result.items():
        if k in ("claim_holds", "files") or k.startswith("_"):
            continue
        print(f"  {k}: {_fmt(v)}")
    for path in result.get("files", ()):
        print(f"  wrote {path}")
    if not result["claim_holds"]:
        print("CLAIM FAILED")
        raise SystemExit(1)
    print("Claim holds.")
    return result


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, float) for x in v):
        return "[" + ", ".join(f"{x:.3g}" for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items()) + "}"
    return str(v)
