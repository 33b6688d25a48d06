"""The outputs of tools/bench: JSON, markdown tables, the ratio plot, the
results section of docs/performance.md.

Ratios are times relative to onnxruntime's (X median / onnxruntime median):
below 1 means X is faster. Geometric means are over the items that every
runtime of the column completed.
"""
import json
import math
import os
import shutil

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
NAMES = {"ours": "ours", "ort": "ORT", "numpy": "numpy", "iree": "IREE"}


def write_json(path, results):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(results, f, indent=1, default=float)
    os.replace(tmp, path)


def _ms(entry, name):
    return entry.get(name, {}).get("median_ms")


def _fmt_ms(v):
    if v is None:
        return "-"
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:.0f}"


def _fmt(v, digits=2):
    return "-" if v is None else f"{v:.{digits}f}"


def _geomean(values):
    values = [v for v in values if v is not None and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def progress(item, gflops=False):
    """One line per workload for the console: every runtime per thread count."""
    parts = []
    for t, entry in item["threads"].items():
        cells = []
        for name in ("ours", "ort", "numpy", "iree"):
            if name not in entry:
                continue
            r = entry[name]
            if "error" in r:
                cells.append(f"{NAMES[name]} FAILED")
                continue
            value = f"{r['gflops']:.1f} GF/s" if gflops else f"{_fmt_ms(r['median_ms'])} ms"
            ratio = entry["ratio"].get(name)
            mark = "" if entry["match"].get(name, True) else " MISMATCH"
            cells.append(f"{NAMES[name]} {value}" + (f" (x{ratio:.2f})" if ratio else "") + mark)
        parts.append(f"t{t}: " + ", ".join(cells))
    return " | ".join(parts)


def _errors(results):
    """(part, item, runtime, threads, reason) of every failure, deduplicated
    over thread counts."""
    seen, out = set(), []
    for part in ("gemm", "conv", "models"):
        for item in results.get(part, []):
            if "error" in item.get("logits_check", {}):
                out.append((part, item["name"], "ours",
                            "logits check: " + item["logits_check"]["error"]))
            if "error" in item.get("iree", {}):
                key = (part, item["name"], "iree", item["iree"]["error"])
                if key not in seen:
                    seen.add(key)
                    out.append(key)
            for entry in item["threads"].values():
                for name in ("ours", "ort", "numpy", "iree"):
                    if "error" in entry.get(name, {}):
                        key = (part, item["name"], name, entry[name]["error"])
                        if key not in seen:
                            seen.add(key)
                            out.append(key)
    return out


def peak_line(peak):
    if not peak:
        return "peak not measured"
    if "error" in peak:
        return f"peak not measured: {peak['error']}"
    gflops = ", ".join(f"{v:.0f} GFLOP/s at {t} thread{'s' if t != '1' else ''}"
                       for t, v in peak["fma_gflops"].items())
    fork = ", ".join(f"{v:.2f} us at {t} threads" for t, v in peak["fork_us"].items())
    return (f"measured f32 FMA peak {gflops}" +
            (f"; an OpenMP parallel loop's fork and join {fork}" if fork else "") +
            " (tools/bench/peak.c)")


def machine_lines(meta):
    v = meta.get("versions", {})
    blas = ", ".join(f"{b.get('internal_api')} {b.get('version')} ({b.get('architecture')})"
                     for b in v.get("blas") or [])
    iree = v.get("iree")
    commit = (meta.get("git_commit") or "?")[:12] + (" (dirty)" if meta.get("git_dirty") else "")
    return [
        f"- Machine: {meta.get('cpu_model', '?')}, {meta.get('cores_usable')} cores; "
        f"AVX-512: {'yes' if meta.get('avx512') else 'no'}, "
        f"AMX: {'yes' if meta.get('amx') else 'no'}; load average "
        f"{meta['loadavg_start'][0]:.2f} at the start"
        + (f", {meta['loadavg_end'][0]:.2f} at the end" if "loadavg_end" in meta else ""),
        f"- Commit {commit}, {meta.get('started', '?')}; `{meta.get('command')}`"
        + (f", {meta['wall_s']:.0f} s" if "wall_s" in meta else ""),
        f"- onnxruntime {v.get('onnxruntime')}, numpy {v.get('numpy')} ({blas}), "
        + (f"IREE {iree['compiler']} (compiler) / {iree['runtime']} (runtime)" if iree
           else "IREE not run"),
        f"- Median of {meta.get('runs')} calls after {meta.get('warmup')} warm-up; "
        "ratio = time / onnxruntime's time (below 1: faster than onnxruntime)"
        + ("" if v.get("infer_run_has_warmup") else
           "; infer-run has no --warmup, so its median is over all "
           f"{meta.get('runs', 0) + meta.get('warmup', 0)} calls, the first included"),
    ] + ([f"- The machine's limits: {peak_line(meta['peak'])}"] if "peak" in meta else [])


def markdown(results, level=2):
    """The results as markdown: machine, models, conv layers, GEMMs, failures."""
    h = "#" * level
    meta = results["meta"]
    lines = [f"{h} Setting", ""] + machine_lines(meta) + [""]
    threads = [str(t) for t in meta["threads"]]

    if results.get("models"):
        lines += [f"{h} Models (median ms)", "",
                  "Max abs diff: against onnxruntime's output (ours / IREE), and ours "
                  "against onnxruntime on the logits (the model cut before its final "
                  "Softmax, whose output the light models' constant weights make "
                  "uniform); relative scale: the largest |value| of the reference.", "",
                  "| model | threads | ours | ORT | IREE | ours/ORT | IREE/ORT "
                  "| max abs diff ours / IREE | logits: diff (scale) |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        for item in results["models"]:
            for t in threads:
                e = item["threads"][t]
                diff = " / ".join(
                    ("-" if n not in e["max_abs_diff"] else f"{e['max_abs_diff'][n]:.1e}"
                     + ("" if e["match"].get(n) else " (mismatch)")) for n in ("ours", "iree"))
                lc = item.get("logits_check")
                logits = "-" if not lc or t != threads[0] else (
                    f"failed" if "error" in lc else
                    f"{lc['max_abs_diff']:.1e} ({lc['reference_max_abs']:.1e})"
                    + ("" if lc["match"] else " (mismatch)"))
                lines.append(
                    f"| {item['name']} | {t} | {_fmt_ms(_ms(e, 'ours'))} | "
                    f"{_fmt_ms(_ms(e, 'ort'))} | {_fmt_ms(_ms(e, 'iree'))} | "
                    f"{_fmt(e['ratio'].get('ours'))} | {_fmt(e['ratio'].get('iree'))} | {diff} "
                    f"| {logits} |")
        for t in threads:
            es = [item["threads"][t] for item in results["models"]]
            lines.append(f"| **geomean** | {t} | | | | "
                         f"**{_fmt(_geomean([e['ratio'].get('ours') for e in es]))}** | "
                         f"**{_fmt(_geomean([e['ratio'].get('iree') for e in es]))}** | | |")
        lines += ["", "Compile time of ours, ahead of time (`tools/infer-compile`: the default "
                  "pipeline, LLVM's optimizer and code generator, the link): " + ", ".join(
                      f"{item['name']} {item['ours_compile_s']:.1f} s"
                      for item in results["models"] if "ours_compile_s" in item) + ".", ""]

    if results.get("fusion"):
        lines += [f"{h} Fusion: ours without and with --fuse (same run)", "",
                  "Kernels: top-level loop nests of the compiled code (infer-run "
                  "--profile). Intermediate: the bytes of the buffers between kernels "
                  "(infer-plan-memory), each written and read once a call. Latency: "
                  "median of the rounds' medians, the two variants alternating; "
                  "speed-up = unfused / fused; faster rounds: the rounds (one unfused "
                  "and one fused median each, run back to back) in which fused was "
                  "faster, which this machine's round-to-round noise makes the surer "
                  "sign. Both variants match onnxruntime unless marked.", "",
                  "| model | threads | kernels | intermediate MiB | unfused ms | fused ms "
                  "| speed-up | faster rounds |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for item in results["fusion"]:
            if "error" in item:
                lines.append(f"| {item['name']} | | failed: {item['error'][:120]} | | | | | |")
            for t, e in item["threads"].items():
                off, on = e["false"], e["true"]
                bad = "" if off["match"] and on["match"] else " (mismatch)"
                pairs = list(zip(off.get("round_medians_ms", []),
                                 on.get("round_medians_ms", [])))
                faster = sum(f < u for u, f in pairs)
                lines.append(
                    f"| {item['name']}{bad} | {t} | {off['kernels']} -> {on['kernels']} | "
                    f"{off['intermediate_bytes'] / 2**20:.2f} -> "
                    f"{on['intermediate_bytes'] / 2**20:.2f} | {_fmt_ms(off['median_ms'])} | "
                    f"{_fmt_ms(on['median_ms'])} | {_fmt(e['speedup'])} | "
                    f"{faster} of {len(pairs)} |")
        for t in threads:
            es = [item["threads"][t] for item in results["fusion"] if t in item["threads"]]
            lines.append(f"| **geomean** | {t} | | | | | "
                         f"**{_fmt(_geomean([e['speedup'] for e in es]))}** | |")
        lines.append("")

    if results.get("tune"):
        import tuning
        lines += tuning.markdown(results["tune"], h)

    if results.get("conv"):
        lines += [f"{h} light_resnet50 convolution layers alone (median ms)", "",
                  "Layer: in-channels x H x W > out-channels, kernel, stride, pad; "
                  "count: how often resnet50 has it.", "",
                  "| layer | count | threads | ours | ORT | ours/ORT | ours GFLOP/s "
                  "| ORT GFLOP/s |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for item in results["conv"]:
            for t in threads:
                e = item["threads"][t]
                gf = [e.get(n, {}).get("gflops") for n in ("ours", "ort")]
                lines.append(
                    f"| {item['name']} | {item['count']} | {t} | {_fmt_ms(_ms(e, 'ours'))} | "
                    f"{_fmt_ms(_ms(e, 'ort'))} | {_fmt(e['ratio'].get('ours'))} | "
                    f"{_fmt(gf[0], 1)} | {_fmt(gf[1], 1)} |")
        for t in threads:
            es = [item["threads"][t] for item in results["conv"]]
            lines.append(f"| **geomean** | | {t} | | | "
                         f"**{_fmt(_geomean([e['ratio'].get('ours') for e in es]))}** | | |")
        lines.append("")

    if results.get("gemm"):
        lines += [f"{h} fp32 GEMM (GFLOP/s)", "",
                  "Shape: M x N x K (batch* when batched); B is a constant weight except "
                  "in the encoder's attention products.", "",
                  "| shape | source | threads | ours | ORT | numpy | ours/ORT | numpy/ORT |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for item in results["gemm"]:
            for t in threads:
                e = item["threads"][t]
                gf = [e.get(n, {}).get("gflops") for n in ("ours", "ort", "numpy")]
                lines.append(
                    f"| {item['name']} | {item['source']} | {t} | {_fmt(gf[0], 1)} | "
                    f"{_fmt(gf[1], 1)} | {_fmt(gf[2], 1)} | {_fmt(e['ratio'].get('ours'))} | "
                    f"{_fmt(e['ratio'].get('numpy'))} |")
        for t in threads:
            es = [item["threads"][t] for item in results["gemm"]]
            lines.append(f"| **geomean** | | {t} | | | | "
                         f"**{_fmt(_geomean([e['ratio'].get('ours') for e in es]))}** | "
                         f"**{_fmt(_geomean([e['ratio'].get('numpy') for e in es]))}** |")
        lines.append("")

    errors = _errors(results)
    if errors:
        lines += [f"{h} Failures", ""]
        for part, name, runtime, reason in errors:
            lines.append(f"- {part} {name}, {NAMES[runtime]}: {reason.replace('|', '/')}")
        lines.append("")
    return "\n".join(lines)


def plot(results, path):
    """Horizontal bars of time / onnxruntime time, one panel per part, a bar
    per runtime and thread count (log scale; the line at 1 is onnxruntime)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    panels = [(p, title, others) for p, title, others in
              (("models", "models", ("ours", "iree")),
               ("conv", "resnet50 conv layers", ("ours",)),
               ("gemm", "fp32 GEMM", ("ours", "numpy")))
              if results.get(p)]
    if not panels:
        return
    threads = [str(t) for t in results["meta"]["threads"]]
    colors = {"ours": "tab:blue", "iree": "tab:green", "numpy": "tab:orange"}
    # One panel under the other, each as tall as its number of bars needs.
    heights = [len(results[p]) * len(others) * len(threads) * 0.1 + 0.9
               for p, _, others in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, sum(heights) + 0.6), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    for ax, (part, title, others) in zip(axes[:, 0], panels):
        items = results[part]
        series = [(n, t) for n in others for t in threads]
        height = 0.8 / len(series)
        for s, (name, t) in enumerate(series):
            ys, xs = [], []
            for i, item in enumerate(items):
                ratio = item["threads"][t]["ratio"].get(name)
                if ratio:
                    ys.append(i + (s - (len(series) - 1) / 2) * height)
                    xs.append(ratio)
            alpha = 1.0 - 0.45 * threads.index(t) / max(1, len(threads) - 1)
            ax.barh(ys, xs, height=height, color=colors[name], alpha=alpha,
                    label=f"{NAMES[name]} / ORT, {t} thread{'s' if t != '1' else ''}")
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1, 2, 5)))
        plain = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}")
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_yticks(range(len(items)))
        ax.set_yticklabels([item["name"] for item in items], fontsize=8)
        ax.invert_yaxis()
        ax.set_title(title)
        ax.set_xlabel("time / onnxruntime time (< 1: faster)")
        ax.grid(axis="x", which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    meta = results["meta"]
    fig.suptitle(f"infer-mlir vs onnxruntime — {meta.get('cpu_model', '?')}, "
                 f"median of {meta['runs']} runs", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (sum(heights) + 0.6)))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def update_docs(doc_path, results, png):
    """Rewrites the text between the bench markers of doc_path with the
    results (and a link to the plot, copied next to the document)."""
    with open(doc_path) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"bench: {doc_path} has no {BEGIN} ... {END} markers")
    body = [markdown(results, level=3)]
    if png:
        target = os.path.splitext(doc_path)[0] + ".png"
        shutil.copyfile(png, target)
        body.insert(0, f"![time relative to onnxruntime]({os.path.basename(target)})\n")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(doc_path, "w") as f:
        f.write(head + BEGIN + "\n" + "\n".join(body).rstrip() + "\n" + END + tail)
    return doc_path
