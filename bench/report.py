"""bench/run.py's results: the table on stdout, and under --out a JSON (every round), a CSV (one
line per workload and target: medians, min and max over the rounds) and a PNG (throughput and
p99 per workload for preshard, twemproxy and direct, whiskers from min to max)."""
import csv
import json
import pathlib
import statistics
import time

TARGETS = ("preshard", "nutcracker", "direct")


def med(vals, key):
    return statistics.median(v[key] for v in vals)


def workloads(samples):
    """(layout, pipeline, test) in the order they were run."""
    seen = []
    for layout, pipeline, test, _ in samples:
        if (layout, pipeline, test) not in seen:
            seen.append((layout, pipeline, test))
    return seen


def rows_of(samples, big):
    """One dict per workload: medians per target, ratios, CPU per command, min/max per round."""
    out = []
    for layout, pipeline, test in workloads(samples):
        row = {"layout": layout, "test": test, "pipeline": pipeline, "errors": 0}
        for t in TARGETS:
            vals = samples.get((layout, pipeline, test, t))
            if not vals:
                continue
            row["errors"] += sum(v["errors"] for v in vals)
            for k in ("rps", "p50", "p99"):
                row[f"{t}_{k}"] = med(vals, k)
                row[f"{t}_{k}_min"] = min(v[k] for v in vals)
                row[f"{t}_{k}_max"] = max(v[k] for v in vals)
            cpus = [v["cpu_us"] for v in vals if v.get("cpu_us") is not None]
            row[f"{t}_cpu_us"] = statistics.median(cpus) if cpus else None
            row[f"{t}_rounds"] = [v["rps"] for v in vals]
        # Paired per round: each round's ratio, then their median (noise hits both alike).
        for other, key in (("nutcracker", "ratio_nutcracker"), ("direct", "ratio_direct")):
            a, b = row.get("preshard_rounds"), row.get(f"{other}_rounds")
            row[key] = statistics.median(x / y for x, y in zip(a, b)) if a and b else None
        pc, nc = row.get("preshard_cpu_us"), row.get("nutcracker_cpu_us")
        row["cpu_ratio_nutcracker"] = pc / nc if pc and nc else None
        if test in big:
            row["value_bytes"] = big[test][1]
        out.append(row)
    return out


def fmt(v, spec, none="-"):
    return none if v is None else format(v, spec)


def print_table(rows, args):
    pin = "servers on CPU 0, client on CPU 1" if args.pinned else "unpinned"
    if getattr(args, "neighbour", False):
        pin += ", a CPU-bound neighbour on the servers' CPU"
    print(f"\npreshard benchmark: {args.rounds} rounds, threads={args.threads}, 50 clients, "
          f"{pin}; medians (rps), paired ratios, latency p50/p99 (ms), proxy CPU (us/command)\n")
    header = ("layout", "test", "-P", "preshard", "nutcracker", "direct", "p/nc", "p/direct",
              "preshard p50/p99", "nutcracker p50/p99", "cpu p/nc", "errors")
    table = []
    for r in rows:
        table.append((
            r["layout"], r["test"], str(r["pipeline"]), fmt(r.get("preshard_rps"), ".0f"),
            fmt(r.get("nutcracker_rps"), ".0f"), fmt(r.get("direct_rps"), ".0f"),
            fmt(r["ratio_nutcracker"], ".2f") + "x" if r["ratio_nutcracker"] else "-",
            fmt(r["ratio_direct"], ".2f") + "x" if r["ratio_direct"] else "-",
            f"{fmt(r.get('preshard_p50'), '.3f')}/{fmt(r.get('preshard_p99'), '.3f')}",
            f"{fmt(r.get('nutcracker_p50'), '.3f')}/{fmt(r.get('nutcracker_p99'), '.3f')}",
            f"{fmt(r.get('preshard_cpu_us'), '.1f')}/{fmt(r.get('nutcracker_cpu_us'), '.1f')}",
            str(r["errors"])))
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(header)]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*header))
    for t in table:
        print(line.format(*t))
    ratios = [r["ratio_nutcracker"] for r in rows if r["ratio_nutcracker"]]
    print(f"\nworst preshard/nutcracker ratio: {min(ratios):.2f}x; "
          f"errors: {sum(r['errors'] for r in rows)}")


def write_csv(path, rows):
    cols = ["layout", "test", "pipeline", "value_bytes"]
    for t in TARGETS:
        cols += [f"{t}_{k}{s}" for k in ("rps", "p50", "p99") for s in ("", "_min", "_max")]
        cols.append(f"{t}_cpu_us")
    cols += ["ratio_nutcracker", "ratio_direct", "cpu_ratio_nutcracker", "errors"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def write_png(path, rows, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no PNG: python3-matplotlib is not installed")
        return False
    labels = [f"{r['layout']}\n{r['test']} -P{r['pipeline']}" for r in rows]
    fig, axes = plt.subplots(2, 1, figsize=(max(10, len(rows) * 0.9), 9))
    width = 0.27
    for ax, key, unit in ((axes[0], "rps", "requests/s"), (axes[1], "p99", "p99 latency (ms)")):
        for i, t in enumerate(TARGETS):
            xs = [k + (i - 1) * width for k in range(len(rows))]
            mid = [r.get(f"{t}_{key}") or 0 for r in rows]
            lo = [m - (r.get(f"{t}_{key}_min") or m) for m, r in zip(mid, rows)]
            hi = [(r.get(f"{t}_{key}_max") or m) - m for m, r in zip(mid, rows)]
            ax.bar(xs, mid, width, yerr=[lo, hi], capsize=2, label=t)
        ax.set_ylabel(unit)
        ax.set_yscale("log")
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels(labels, fontsize=7)
        ax.legend(fontsize=8)
    axes[0].set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write(samples, args, big):
    rows = rows_of(samples, big)
    print_table(rows, args)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = out / f"bench-{stamp}"
    pin = "pinned" if args.pinned else "unpinned"
    base.with_suffix(".json").write_text(json.dumps(
        {"pinned": args.pinned, "rounds": args.rounds, "threads": args.threads,
         "neighbour": getattr(args, "neighbour", False), "rows": rows},
        indent=1))
    write_csv(base.with_suffix(".csv"), rows)
    if getattr(args, "neighbour", False):
        pin += ", CPU-bound neighbour"
    title = (f"preshard vs twemproxy vs direct, {args.rounds} rounds, {pin}, "
             f"threads={args.threads}, {time.strftime('%Y-%m-%d')} (bars: medians; whiskers: "
             f"min-max)")
    png = write_png(base.with_suffix(".png"), rows, title)
    print(f"results: {base}.json, {base}.csv" + (f", {base}.png" if png else ""))
