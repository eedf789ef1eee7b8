#!/usr/bin/python3
"""Exact assignment: Tandem's solver against scipy on the same matrices, in the same run.

What it measures (issue 2, "Benchmark"):
  dense-uniform  N x N, every pair eligible, scores uniform in 1..100.
                 scipy.optimize.linear_sum_assignment(maximize=True) vs SolveOptimal()
                 (and LEMON's NetworkSimplex with --with-lemon);
                 both are exact and the problems coincide, so the totals must be equal.
  dense-rule     N x N scores made by the Tandem rule, score = sum_t interest(e,t) * skill(m,t)
                 over 12 topics (each mentee 3-4 interests, each mentor 1-3 skills, rated 1-3,
                 skewed topic popularity); pairs with score 0 are not arcs for us.
                 scipy runs twice on the same matrix:
                   "max-weight": maximize=True on the scores (0 for missing pairs), counting
                     only pairs with score > 0. Its objective differs from ours (we take the
                     most tandems first, then the best total), so totals may differ: we report
                     both counts and check ours.count >= scipy.count, ours.total <= scipy.total.
                   "lexicographic": maximize=True on score + BIG for eligible pairs (0 otherwise),
                     BIG > any total score: exactly our objective, so the totals must be equal.
  sparse         N x N (default 100,000) with 64 distinct random candidates per mentee, the
                 identity pair i -> i among them (so a perfect matching exists), scores
                 uniform in 1..100. scipy.sparse.csgraph.min_weight_full_bipartite_matching on
                 weights 101 - score vs SolveOptimal() (and LEMON's NetworkSimplex with
                 --with-lemon); both find a perfect matching of maximum score: totals equal.
  stable         1,000,000 x 1,000,000 (--stable-n) with 16 random candidates per mentee, made
                 as for sparse (the graph for which the issue quotes scipy at 310 s and LEMON at
                 396 s): SolveStable(), mentee-proposing deferred acceptance, timed alone (no
                 reference solver for this objective); its blocking pairs are counted and must
                 be 0. --skip-stable leaves it out.

Timing: scipy is timed with time.perf_counter() around the solver call alone; ours is the
"seconds" bench/assignment_bench prints (steady_clock around the solve call, excluding file
reading and graph building, which it reports separately). Matrices come from
numpy.random.default_rng([seed, case, N]), so a case is the same whatever else runs.

How to run (from the repository root, after building):
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && ninja -C build assignment_bench
  /usr/bin/python3 bench/run_assignment_bench.py                      # full run
  /usr/bin/python3 bench/run_assignment_bench.py --sizes 1000,2000 --skip-sparse   # quick check
Writes a markdown table to stdout and every figure to --out (JSON).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Problem file layout shared with bench/assignment_bench.cc (native int32).
MAGIC = 0x31504254
KIND_DENSE = 1
KIND_TRIPLES = 2

NUM_TOPICS = 12
MAX_SCORE = 100
CANDIDATES = 64
STABLE_CANDIDATES = 16
# Case ids feed the seed so each case draws its own, reproducible matrix.
CASE_IDS = {"dense-uniform": 1, "dense-rule": 2, "sparse": 3, "stable": 4}


# --- problem generation ------------------------------------------------------------------------

def pick_topics(rng, rows, counts, popularity):
    """Returns a rows x NUM_TOPICS int32 matrix; row i rates counts[i] distinct topics 1..3,
    drawn without replacement in proportion to `popularity` (Gumbel top-k)."""
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(rows, NUM_TOPICS))
    order = np.argsort(-keys, axis=1)
    chosen = np.arange(NUM_TOPICS)[None, :] < counts[:, None]
    ratings = np.zeros((rows, NUM_TOPICS), dtype=np.int32)
    r = np.repeat(np.arange(rows), NUM_TOPICS).reshape(rows, NUM_TOPICS)
    ratings[r[chosen], order[chosen]] = rng.integers(1, 4, size=int(chosen.sum()), dtype=np.int32)
    return ratings


def rule_scores(rng, n):
    """Scores by the Tandem rule (all topic weights 1): interest(e) . skill(m)."""
    # Skewed popularity: many want the first topics (AI...), few offer the last (blockchain...).
    want = np.array([12, 9, 7, 6, 5, 4, 3, 3, 2, 2, 1, 1], dtype=float)
    offer = np.array([3, 4, 5, 6, 5, 4, 4, 3, 3, 2, 2, 1], dtype=float)
    interest = pick_topics(rng, n, rng.integers(3, 5, size=n), want / want.sum())
    skill = pick_topics(rng, n, rng.integers(1, 4, size=n), offer / offer.sum())
    return (interest @ skill.T).astype(np.int32)


def sparse_candidates(rng, n, candidates=CANDIDATES):
    """Returns (mentors, scores), both n x candidates int32: distinct mentors per row, with the
    identity pair in column 0."""
    mentors = np.empty((n, candidates), dtype=np.int32)
    mentors[:, 0] = np.arange(n, dtype=np.int32)
    todo = np.arange(n)
    while todo.size:  # Redraw rows with a repeated mentor (about 2% of rows at n = 100,000).
        mentors[todo, 1:] = rng.integers(0, n, size=(todo.size, candidates - 1), dtype=np.int32)
        s = np.sort(mentors[todo], axis=1)
        todo = todo[(s[:, 1:] == s[:, :-1]).any(axis=1)]
    scores = rng.integers(1, MAX_SCORE + 1, size=(n, candidates), dtype=np.int32)
    return mentors, scores


def write_dense(path, scores):
    n, m = scores.shape
    with open(path, "wb") as f:
        np.array([MAGIC, KIND_DENSE, n, m, 0], dtype=np.int32).tofile(f)
        np.ascontiguousarray(scores, dtype=np.int32).tofile(f)


def write_triples(path, n, mentors, scores):
    rows = np.repeat(np.arange(n, dtype=np.int32), mentors.shape[1])
    triples = np.stack([rows, mentors.ravel(), scores.ravel()], axis=1).astype(np.int32)
    with open(path, "wb") as f:
        np.array([MAGIC, KIND_TRIPLES, n, n, triples.shape[0]], dtype=np.int32).tofile(f)
        triples.tofile(f)


# --- solvers -----------------------------------------------------------------------------------

def run_ours(binary, path, solver, timeout):
    """Runs bench/assignment_bench; returns its JSON, or {"timeout": True}."""
    try:
        done = subprocess.run([binary, "--solver", solver, path], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"solver": solver, "timeout": True}
    if done.returncode != 0:
        sys.exit(f"{binary} failed ({done.returncode}): {done.stderr.strip()}")
    result = json.loads(done.stdout)
    result["timeout"] = False
    return result


def scipy_dense(matrix, eligible):
    """linear_sum_assignment(maximize=True); counts and sums only the eligible pairs."""
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    seconds = time.perf_counter() - start
    taken = eligible[rows, cols]
    return seconds, rows[taken], cols[taken]


# --- cases -------------------------------------------------------------------------------------

def rng_for(seed, case, n):
    return np.random.default_rng([seed, CASE_IDS[case], n])


def lemon_fields(args, path, total):
    """With --with-lemon: LEMON's NetworkSimplex on the same file, as the library baseline."""
    if not args.with_lemon:
        return {}
    lemon = run_ours(args.binary, path, "lemon", args.timeout)
    if lemon["timeout"]:
        return {"lemon_seconds": None, "lemon_timeout": True}
    assert total is None or lemon["total_score"] == total, f"LEMON disagrees: {lemon}"
    return {"lemon_seconds": lemon["seconds"], "lemon_timeout": False}


def ours_fields(ours):
    if ours["timeout"]:
        return {"ours_seconds": None, "ours_timeout": True}
    return {"ours_seconds": ours["seconds"], "ours_build_seconds": ours["build_seconds"],
            "ours_read_seconds": ours["read_seconds"], "ours_count": ours["count"],
            "ours_total": ours["total_score"], "ours_peak_rss_mib": ours["peak_rss_mib"],
            "ours_timeout": False, "arcs": ours["arcs"]}


def dense_uniform(args, n, path):
    scores = rng_for(args.seed, "dense-uniform", n).integers(
        1, MAX_SCORE + 1, size=(n, n), dtype=np.int32)
    write_dense(path, scores)
    ours = run_ours(args.binary, path, "ours", args.timeout)
    seconds, rows, cols = scipy_dense(scores, scores > 0)
    row = {"case": "dense-uniform", "n": n, "scipy_seconds": seconds,
           "scipy_count": int(rows.size), "scipy_total": int(scores[rows, cols].sum()),
           **ours_fields(ours),
           **lemon_fields(args, path, None if ours["timeout"] else ours["total_score"])}
    if not ours["timeout"]:
        row["equal"] = row["ours_total"] == row["scipy_total"] and row["ours_count"] == n
        assert row["equal"], f"dense-uniform N={n}: totals differ: {row}"
    return [row]


def dense_rule(args, n, path):
    scores = rule_scores(rng_for(args.seed, "dense-rule", n), n)
    eligible = scores > 0
    write_dense(path, scores)
    ours = run_ours(args.binary, path, "ours", args.timeout)
    common = {"n": n, "eligible_fraction": float(eligible.mean()), **ours_fields(ours),
              **lemon_fields(args, path, None if ours["timeout"] else ours["total_score"])}

    seconds, rows, cols = scipy_dense(scores, eligible)
    weight = {"case": "dense-rule/max-weight", "scipy_seconds": seconds,
              "scipy_count": int(rows.size), "scipy_total": int(scores[rows, cols].sum()),
              "note": "scipy maximises total score only, we maximise count first: "
                      "totals may differ", **common}

    big = int(scores.max()) * n + 1  # More than any total score: count first, then score.
    lexicographic = np.where(eligible, scores.astype(np.int64) + big, 0)
    seconds, rows, cols = scipy_dense(lexicographic, eligible)
    lex = {"case": "dense-rule/lexicographic", "scipy_seconds": seconds,
           "scipy_count": int(rows.size), "scipy_total": int(scores[rows, cols].sum()),
           "note": "scipy on score + BIG for eligible pairs: the same objective as ours",
           **common}

    if not ours["timeout"]:
        # Ours forms at least as many tandems as a pure max-weight assignment and so scores at
        # most as much; equal counts force equal totals.
        weight["equal"] = weight["ours_total"] == weight["scipy_total"]
        assert weight["ours_count"] >= weight["scipy_count"], weight
        assert weight["ours_total"] <= weight["scipy_total"], weight
        assert weight["ours_count"] > weight["scipy_count"] or weight["equal"], weight
        lex["equal"] = (lex["ours_total"] == lex["scipy_total"]
                        and lex["ours_count"] == lex["scipy_count"])
        assert lex["equal"], f"dense-rule N={n}: lexicographic totals differ: {lex}"
    return [weight, lex]


def sparse(args, n, path):
    mentors, scores = sparse_candidates(rng_for(args.seed, "sparse", n), n)
    write_triples(path, n, mentors, scores)
    rows = np.repeat(np.arange(n), CANDIDATES)
    graph = csr_matrix(((MAX_SCORE + 1 - scores).ravel().astype(np.float64),
                        (rows, mentors.ravel())), shape=(n, n))
    score_of = csr_matrix((scores.ravel(), (rows, mentors.ravel())), shape=(n, n))

    start = time.perf_counter()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    seconds = time.perf_counter() - start
    scipy_total = int(np.asarray(score_of[row_ind, col_ind]).sum())

    results = []
    solvers = ["ours"] + (["lemon"] if args.with_lemon else [])
    for solver in solvers:
        ours = run_ours(args.binary, path, solver, args.timeout)
        row = {"case": "sparse" if solver == "ours" else "sparse/lemon", "n": n,
               "scipy_seconds": seconds, "scipy_count": int(row_ind.size),
               "scipy_total": scipy_total, **ours_fields(ours)}
        if not ours["timeout"]:
            row["equal"] = row["ours_total"] == scipy_total and row["ours_count"] == n
            assert row["equal"], f"sparse N={n} ({solver}): totals differ: {row}"
        results.append(row)
    return results


def stable(args, n, path):
    mentors, scores = sparse_candidates(rng_for(args.seed, "stable", n), n, STABLE_CANDIDATES)
    write_triples(path, n, mentors, scores)
    ours = run_ours(args.binary, path, "stable", args.timeout)
    row = {"case": "stable", "n": n, "candidates": STABLE_CANDIDATES, **ours_fields(ours)}
    if not ours["timeout"]:
        row["blocking_pairs"] = ours["blocking_pairs"]
        assert row["blocking_pairs"] == 0, f"stable N={n}: blocking pairs: {row}"
    return [row]


# --- report ------------------------------------------------------------------------------------

def markdown_table(rows):
    lines = ["| case | N | scipy s | ours s | speed-up | LEMON s | count scipy / ours "
             "| totals equal |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r["case"] == "stable":  # no reference solver: blocking pairs instead of totals
            ours = "timeout" if r["ours_timeout"] else f"{r['ours_seconds']:.3f}"
            result = "-" if r["ours_timeout"] else f"{r['blocking_pairs']} blocking pairs"
            count = "-" if r["ours_timeout"] else r["ours_count"]
            lines.append(f"| stable, {r['candidates']} candidates | {r['n']} | - | {ours} | - | - "
                         f"| - / {count} | {result} |")
            continue
        if r["ours_timeout"]:
            ours, speedup, counts, equal = "timeout", "-", f"{r['scipy_count']} / -", "-"
        else:
            ours = f"{r['ours_seconds']:.3f}"
            speedup = f"{r['scipy_seconds'] / r['ours_seconds']:.2f}x"
            counts = f"{r['scipy_count']} / {r['ours_count']}"
            equal = "yes" if r["equal"] else "no (objectives differ)"
        if "lemon_seconds" not in r:
            lemon = "-"
        else:
            lemon = "timeout" if r["lemon_timeout"] else f"{r['lemon_seconds']:.3f}"
        lines.append(f"| {r['case']} | {r['n']} | {r['scipy_seconds']:.3f} | {ours} | {speedup} "
                     f"| {lemon} | {counts} | {equal} |")
    return "\n".join(lines)


def progress(rows):
    """Echoes finished rows on stderr (a full run takes minutes) and returns them."""
    print("\n".join(markdown_table(rows).splitlines()[2:]), file=sys.stderr, flush=True)
    return rows


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,2000,5000", help="dense N, comma-separated")
    parser.add_argument("--sparse-n", type=int, default=100_000)
    parser.add_argument("--skip-sparse", action="store_true")
    parser.add_argument("--stable-n", type=int, default=1_000_000)
    parser.add_argument("--skip-stable", action="store_true")
    parser.add_argument("--with-lemon", action="store_true",
                        help="also time LEMON's NetworkSimplex on every case (slow)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before one run of our binary is recorded as a timeout")
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "results", "assignment.json"))
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.binary = os.path.join(args.build_dir, "bench", "assignment_bench")
    if not os.access(args.binary, os.X_OK):
        parser.error(f"{args.binary} not found: build it with ninja -C build assignment_bench")
    return args


def main():
    args = parse_args()
    wall = time.perf_counter()
    load_before = os.getloadavg()  # Other jobs on the machine skew every figure: record them.
    rows = []
    with tempfile.TemporaryDirectory(prefix="assignment_bench_", dir="/tmp") as tmp:
        path = os.path.join(tmp, "problem.i32")
        for n in args.sizes:
            for case in (dense_uniform, dense_rule):
                rows += progress(case(args, n, path))
        if not args.skip_sparse:
            rows += progress(sparse(args, args.sparse_n, path))
        if not args.skip_stable:
            rows += progress(stable(args, args.stable_n, path))
    table = markdown_table(rows)
    print(table)

    command = "/usr/bin/python3 bench/run_assignment_bench.py " + " ".join(sys.argv[1:])
    report = {
        "command": command.strip(),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version(), "numpy": np.__version__,
                    "scipy": scipy.__version__},
        "seed": args.seed,
        "total_wall_seconds": time.perf_counter() - wall,
        "load_average_1_5_15": {"before": load_before, "after": os.getloadavg()},
        "results": rows,
        "table": table,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
