"""Shared timing helpers for the benchmark scripts: median of repeats, and a ratio table."""

import statistics
import time
import tracemalloc


def median_time(fn, repeat=20, warmup=3):
    """Median wall time of ``fn()`` in seconds after a few warm-up calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_memory(fn):
    """Peak bytes traced by tracemalloc while ``fn()`` runs (numpy reports its buffers to tracemalloc)."""
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def print_table(title, rows, columns):
    """rows: list of (name, {column: seconds}); prints times in ms and ratios to the numpy floor and torch."""
    print(f"\n{title}")
    head = f"{'workload':<28}" + "".join(f"{c + ' ms':>14}" for c in columns) + f"{'ours/numpy':>12}{'ours/torch':>12}"
    print(head)
    print("-" * len(head))
    for name, t in rows:
        line = f"{name:<28}" + "".join(f"{t[c] * 1e3:>14.3f}" for c in columns)
        line += f"{t['ours'] / t['numpy']:>12.2f}" if "numpy" in t else f"{'':>12}"
        line += f"{t['ours'] / t['torch']:>12.2f}" if "torch" in t else f"{'':>12}"
        print(line)


def tune_malloc():
    """Ask glibc to keep large freed blocks instead of unmapping them (process-wide, all three engines).

    Without it every training step maps fresh pages for its big temporaries and page-faults on them
    (PyTorch's caching allocator avoids this on its own). Returns False where glibc is not available.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 128 * 2**20)) and bool(libc.mallopt(m_trim_threshold, 256 * 2**20))
    except (OSError, AttributeError, TypeError):
        return False
