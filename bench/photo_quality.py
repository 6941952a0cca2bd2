"""Issue-6 benchmark: photo quality grading on real photos with controlled degradations.

20 real photos (`photo_set.py`) x 6 degradations (Gaussian blur, noise, under-exposure,
over-exposure, JPEG quality, downscale) x 4 severities, each uploaded through the real pipeline
(`process_image`: 1200 px, JPEG 85) and graded on the stored image, as the API does. Reports,
per degradation kind:

- Spearman's rank correlation between severity (0 = the original .. 4) and score
  (`scipy.stats.spearmanr`), two ways: per photo, averaged over the photos (the "L-test" of
  Ma et al., "Waterloo Exploration Database", IEEE TIP 26(2), 2017), and pooled over all
  photos at once (stricter: it also ranks one photo's degraded copy against another original);
- ROC AUC separating the originals from the two worst severities (`sklearn.metrics.roc_auc_score`).

And the time to grade a stored 1200 px image (decode included), p50 and p95, as wall time
and as the process's CPU time (the machine is shared: wall time includes waiting for a core).
Everything is reported for all 20 photos and for each fold (A: calibration photos; B: never
used to set a constant). Bounded: about 3-5 minutes on 2 cores. Writes
bench/out/photo_quality.json and prints Markdown tables for RESULTS.md.

    .venv/bin/python bench/photo_quality.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import time
from pathlib import Path
from statistics import mean

import numpy as np
from PIL import Image
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from photo_set import DEGRADATIONS, PHOTOS, original  # noqa: E402

from haat.catalog.images import process_image  # noqa: E402
from haat.quality.grading import MODEL_VERSION, grade_image_bytes  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
RHO_TARGET, AUC_TARGET, MS_TARGET = -0.8, 0.95, 60.0


def stored(upload: bytes) -> bytes:
    return process_image(upload, max_bytes=64 << 20, max_pixels=50_000_000).data


def score_everything() -> dict[tuple[str, str, int], float]:
    """Score of every (photo, kind, severity); kind "original" has severity 0."""
    scores: dict[tuple[str, str, int], float] = {}
    for photo in PHOTOS:
        rgb = photo.load()
        scores[(photo.name, "original", 0)] = grade_image_bytes(stored(original(rgb))).score
        for d in DEGRADATIONS:
            for severity, amount in enumerate(d.severities, start=1):
                data = stored(d.apply(rgb, amount))
                scores[(photo.name, d.kind, severity)] = grade_image_bytes(data).score
        print(f"  graded {photo.name}", file=sys.stderr)
    return scores


def series(scores: dict[tuple[str, str, int], float], name: str, kind: str) -> list[float]:
    return [scores[(name, "original", 0)]] + [scores[(name, kind, s)] for s in (1, 2, 3, 4)]


def figures(scores: dict[tuple[str, str, int], float], names: list[str]) -> dict[str, object]:
    """Spearman (per photo mean, worst photo, pooled) and AUC per kind, over ``names``."""
    per_kind: dict[str, dict[str, float]] = {}
    labels: list[int] = []
    values: list[float] = []
    for d in DEGRADATIONS:
        per_photo = []
        pooled_x: list[int] = []
        pooled_y: list[float] = []
        kind_labels: list[int] = []
        kind_values: list[float] = []
        for name in names:
            ys = series(scores, name, d.kind)
            rho = spearmanr(range(5), ys).statistic
            per_photo.append(0.0 if np.isnan(rho) else float(rho))
            pooled_x += list(range(5))
            pooled_y += ys
            kind_labels += [1, 0, 0]
            kind_values += [ys[0], ys[3], ys[4]]
        labels += kind_labels
        values += kind_values
        per_kind[d.kind] = {
            "spearman_mean": round(mean(per_photo), 3),
            "spearman_worst_photo": round(max(per_photo), 3),
            "spearman_pooled": round(float(spearmanr(pooled_x, pooled_y).statistic), 3),
            "auc": round(float(roc_auc_score(kind_labels, kind_values)), 3),
        }
    # Originals against the two worst severities of every kind (each original once).
    all_labels = [1] * len(names) + [0] * (2 * len(names) * len(DEGRADATIONS))
    all_values = [scores[(n, "original", 0)] for n in names] + [
        scores[(n, d.kind, s)] for d in DEGRADATIONS for n in names for s in (3, 4)
    ]
    return {
        "photos": len(names),
        "kinds": per_kind,
        "auc_all": round(float(roc_auc_score(all_labels, all_values)), 3),
    }


def timing(repeats: int) -> dict[str, float]:
    """Milliseconds to grade each photo's stored image at 1200 px (decode included)."""
    images = []
    for photo in PHOTOS:
        image = Image.fromarray(photo.load())
        scale = 1200 / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        buffer = io.BytesIO()
        image.resize(size, Image.Resampling.LANCZOS).save(buffer, "PNG")
        images.append(stored(buffer.getvalue()))
    grade_image_bytes(images[0])  # warm-up: imports, first allocations
    wall, cpu = [], []
    for _ in range(repeats):
        for data in images:
            start, start_cpu = time.perf_counter(), time.process_time()
            grade_image_bytes(data)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    return {
        "images": len(images),
        "runs": len(wall),
        "p50_ms": round(float(np.percentile(wall, 50)), 1),
        "p95_ms": round(float(np.percentile(wall, 95)), 1),
        "min_ms": round(min(wall), 1),
        "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 1),
        "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timing passes over the 20 images")
    args = parser.parse_args()
    started = time.monotonic()
    load_before = os.getloadavg()
    scores = score_everything()
    names = [p.name for p in PHOTOS]
    result = {
        "model_version": MODEL_VERSION,
        "machine": f"{platform.node()} {os.cpu_count()} cores, python {platform.python_version()}",
        "load_average_before": [round(v, 2) for v in load_before],
        "all": figures(scores, names),
        "fold_A": figures(scores, [p.name for p in PHOTOS if p.fold == "A"]),
        "fold_B": figures(scores, [p.name for p in PHOTOS if p.fold == "B"]),
        "timing_1200px": timing(args.repeats),
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "originals": {n: round(scores[(n, "original", 0)], 3) for n in names},
        "seconds": round(time.monotonic() - started, 1),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "photo_quality.json").write_text(json.dumps(result, indent=2))
    print_markdown(result)


def print_markdown(result: dict[str, object]) -> None:
    print(
        "| degradation | Spearman, mean per photo | worst photo | pooled | AUC (orig vs 2 worst) |"
    )
    print("|---|---|---|---|---|")
    kinds = result["all"]["kinds"]  # type: ignore[index]
    for kind, f in kinds.items():
        mark = "**" if f["spearman_mean"] <= RHO_TARGET else ""
        print(
            f"| {kind} | {mark}{f['spearman_mean']}{mark} | {f['spearman_worst_photo']} | "
            f"{f['spearman_pooled']} | {f['auc']} |"
        )
    print()
    for fold in ("all", "fold_A", "fold_B"):
        f = result[fold]  # type: ignore[index]
        worst = max(k["spearman_mean"] for k in f["kinds"].values())
        pooled = max(k["spearman_pooled"] for k in f["kinds"].values())
        print(
            f"{fold}: {f['photos']} photos, AUC {f['auc_all']} (target >= {AUC_TARGET}), "
            f"worst mean-per-photo Spearman {worst} (target <= {RHO_TARGET}), "
            f"worst pooled Spearman {pooled}"
        )
    t = result["timing_1200px"]  # type: ignore[index]
    print(
        f"grading a 1200 px image: wall p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, min "
        f"{t['min_ms']} ms; CPU p50 {t['cpu_p50_ms']} ms, p95 {t['cpu_p95_ms']} ms over "
        f"{t['runs']} runs (target <= {MS_TARGET} ms); load average "
        f"{result['load_average_before']} -> {result['load_average_after']}; "
        f"{result['seconds']} s in all"
    )


if __name__ == "__main__":
    main()
