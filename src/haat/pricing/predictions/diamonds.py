"""Diamond price model: LightGBM on log price, with split-conformal 80 % intervals.

Data: the diamonds data set packaged in `haat.demo` (`demo/data/diamonds.csv.gz`, 53,940 round
stones, price in USD; see the README there for source and licence). Cleaning, before anything
else: the 20 rows with a zero x, y or z are measurement errors and are dropped; of the 146 rows
that exactly repeat an earlier row only the first is kept, so that no stone can sit in both the
training part and the hold-out. What is left (53,775 rows) is split 80/20 with a fixed seed.

Features: carat, the three grades as ordinal ranks (cut Fair < ... < Ideal; colour from the worst
grade up; clarity from the worst up), depth %, table %, x, y, z (mm). The target is the natural
log of the price, so the model's errors are relative, as prices are; the price estimate is
exp(prediction) times Duan's smearing factor (J. Amer. Statist. Assoc. 78, 1983).

Intervals (80 %): the training part is split again; a first model learns on 85 % of it and its
log-price errors on the other 15 % (the calibration slice) give the 10th and 90th percentiles;
the served model is then refitted on the whole training part with the same settings, and an
interval is ``exp(log prediction + q10) .. exp(log prediction + q90)`` (split-conformal
prediction, Vovk et al. 2005; Lei et al. 2018). The hold-out is never used for fitting or
calibration.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np

from haat.ml.specs import ModelSpec, Progress, TrainResult, register

NAME = "diamond"

CUTS = ("Fair", "Good", "Very Good", "Premium", "Ideal")
# GIA colour scale, best first; the data hold D..J only.
COLORS = ("D", "E", "F", "G", "H", "I", "J", "K", "L", "M")
# GIA clarity scale, best first; the data hold IF..I1 only.
CLARITIES = ("FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1", "I2", "I3")
TRAINED_COLORS = COLORS[:7]
TRAINED_CLARITIES = CLARITIES[1:9]
FEATURES = ("carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z")
OPTIONAL = ("depth", "table", "x", "y", "z")
SEED = 20261201
HOLDOUT_FRACTION = 0.2
CALIBRATION_FRACTION = 0.15
COVERAGE = 0.8
# The artefact holds a LightGBM booster; skops loads nothing else outside its defaults.
TRUSTED_TYPES = ["lightgbm.basic.Booster", "collections.OrderedDict"]

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "regression",
    "learning_rate": 0.05,
    "num_leaves": 63,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_boost_round": 500,
}


def cut_rank(cut: str) -> int:
    """Fair 0 .. Ideal 4."""
    return CUTS.index(cut)


def color_rank(color: str) -> int:
    """Higher is better: M 0 .. D 9 (the data's J is 3, D is 9)."""
    return len(COLORS) - 1 - COLORS.index(color)


def clarity_rank(clarity: str) -> int:
    """Higher is better: I3 0 .. FL 10 (the data's I1 is 2, IF is 9)."""
    return len(CLARITIES) - 1 - CLARITIES.index(clarity)


@dataclass(frozen=True)
class Dataset:
    """Feature matrix ``X`` (n x 9, float64, columns `FEATURES`) and prices ``y`` (USD)."""

    X: np.ndarray
    y: np.ndarray
    dropped_zero_dimension: int
    dropped_duplicates: int


def load_dataset() -> Dataset:
    """The cleaned diamonds data (see the module docstring for what is dropped and why)."""
    raw = (files("haat.demo") / "data" / "diamonds.csv.gz").read_bytes()
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode()))
    header = next(reader)
    expected = ["carat", "cut", "color", "clarity", "depth", "table", "price", "x", "y", "z"]
    if header != expected:
        raise ValueError(f"unexpected diamonds.csv.gz header: {header}")
    seen: set[tuple[str, ...]] = set()
    rows: list[list[float]] = []
    prices: list[float] = []
    zero = duplicates = 0
    for row in reader:
        key = tuple(row)
        if float(row[7]) == 0 or float(row[8]) == 0 or float(row[9]) == 0:
            zero += 1
            continue
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        carat, cut, color, clarity, depth, table, price, x, y, z = row
        rows.append(
            [
                float(carat),
                cut_rank(cut),
                color_rank(color),
                clarity_rank(clarity),
                float(depth),
                float(table),
                float(x),
                float(y),
                float(z),
            ]
        )
        prices.append(float(price))
    return Dataset(np.asarray(rows, dtype=np.float64), np.asarray(prices), zero, duplicates)


def split(n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random partition of ``range(n)``: (indices kept, indices held out)."""
    order = np.random.default_rng(seed).permutation(n)
    cut = int(round(n * fraction))
    return np.sort(order[cut:]), np.sort(order[:cut])


def holdout(_params: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The fixed hold-out (20 % of the cleaned data, seed `SEED`, whatever the training
    parameters): (X, prices in USD)."""
    data = load_dataset()
    _, test = split(len(data.y), HOLDOUT_FRACTION, SEED)
    return data.X[test], data.y[test]


def _fit(X: np.ndarray, y: np.ndarray, params: dict[str, Any], threads: int) -> Any:
    import lightgbm as lgb

    params = dict(params)
    rounds = int(params.pop("num_boost_round"))
    train_params = {**params, "seed": SEED, "num_threads": threads, "verbosity": -1}
    return lgb.train(train_params, lgb.Dataset(X, np.log(y)), num_boost_round=rounds)


def imputation_rules(X: np.ndarray) -> dict[str, float]:
    """What fills an omitted optional measurement, learned on the training rows: median depth
    and table (%), and a power law ``x = a * carat ** b`` (mm) fitted in logs, with y = x * the
    median y/x ratio and z = depth % of the mean of x and y."""
    b, log_a = np.polyfit(np.log(X[:, 0]), np.log(X[:, 6]), 1)
    return {
        "depth": float(np.median(X[:, 4])),
        "table": float(np.median(X[:, 5])),
        "x_a": float(math.exp(log_a)),
        "x_b": float(b),
        "y_ratio": float(np.median(X[:, 7] / X[:, 6])),
    }


def train(params: dict[str, Any], progress: Progress, *, threads: int = 2) -> TrainResult:
    """Fit the model on the 80 % training part with `DEFAULT_PARAMS` overridden by
    ``params`` (LightGBM parameters plus ``num_boost_round``).

    The artefact is a dict skops can save: ``booster``, ``q_low``/``q_high`` (log offsets of
    the 80 % interval), ``smearing`` (Duan's retransformation factor, the mean of exp(log
    error) on the calibration slice: exp of a log-price prediction is a median, and this
    turns it into a mean), ``imputation`` (`imputation_rules`). Metrics: `score` on the hold-out,
    plus the rows dropped in cleaning. CPU: two fits of ``num_boost_round`` rounds.
    """
    params = {**DEFAULT_PARAMS, **params}
    data = load_dataset()
    train_idx, test_idx = split(len(data.y), HOLDOUT_FRACTION, SEED)
    X, y = data.X[train_idx], data.y[train_idx]
    proper, calib = split(len(y), CALIBRATION_FRACTION, SEED + 1)
    progress("calibrating the diamond interval")
    first = _fit(X[proper], y[proper], params, threads)
    errors = np.log(y[calib]) - first.predict(X[calib], num_threads=threads)
    alpha = (1 - COVERAGE) / 2
    smearing = float(np.mean(np.exp(errors)))
    q_low = min(0.0, float(np.quantile(errors, alpha)))
    q_high = max(math.log(smearing), float(np.quantile(errors, 1 - alpha)))
    progress("fitting the diamond model")
    artefact = {
        "booster": _fit(X, y, params, threads),
        "q_low": q_low,
        "q_high": q_high,
        "smearing": smearing,
        "imputation": imputation_rules(X),
    }
    progress("scoring the diamond hold-out")
    metrics = {
        **score(artefact, (data.X[test_idx], data.y[test_idx])),
        "calibration_rows": int(len(calib)),
        "dropped_zero_dimension": data.dropped_zero_dimension,
        "dropped_duplicates": data.dropped_duplicates,
    }
    return TrainResult(artefact, int(len(y)), None, None, metrics, params)


def predict_log(artefact: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """Log-price predictions for the rows of ``X`` (n x 9), single-threaded."""
    return np.asarray(artefact["booster"].predict(X, num_threads=1))


def score(artefact: dict[str, Any], holdout: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """Metrics of a model on ``holdout`` = (X, prices in USD): ``rmse`` (USD), ``mae`` (USD),
    ``r2``, ``mape`` (%), ``coverage`` (share of prices inside the 80 % interval) and
    ``rows``. Lower ``rmse`` is better."""
    X, y = holdout
    log_pred = predict_log(artefact, X)
    pred = np.exp(log_pred) * artefact["smearing"]
    low, high = np.exp(log_pred + artefact["q_low"]), np.exp(log_pred + artefact["q_high"])
    residual = y - pred
    return {
        "rmse": float(np.sqrt(np.mean(residual**2))),
        "mae": float(np.mean(np.abs(residual))),
        "r2": float(1 - np.sum(residual**2) / np.sum((y - y.mean()) ** 2)),
        "mape": float(np.mean(np.abs(residual) / y) * 100),
        "coverage": float(np.mean((y >= low) & (y <= high))),
        "rows": int(len(y)),
    }


SPEC = register(
    ModelSpec(
        name=NAME,
        description="diamond, USD: LightGBM on log price with split-conformal intervals",
        train=train,
        holdout=holdout,
        score=score,
        metric="rmse",
        trusted_types=tuple(TRUSTED_TYPES),
        steps=3,
    )
)


def feature_row(
    artefact: dict[str, Any],
    *,
    carat: float,
    cut: str,
    color: str,
    clarity: str,
    depth: float | None = None,
    table: float | None = None,
    x: float | None = None,
    y: float | None = None,
    z: float | None = None,
) -> tuple[np.ndarray, dict[str, float], list[str]]:
    """The model's input for one stone: (a 1 x 9 float row, the values used by feature name,
    the names filled in by `imputation_rules` because they were omitted). Grades must be
    members of `CUTS`, `COLORS`, `CLARITIES` (`ValueError` otherwise)."""
    rules = artefact["imputation"]
    imputed = [
        name for name, value in zip(OPTIONAL, (depth, table, x, y, z), strict=True) if value is None
    ]
    depth = rules["depth"] if depth is None else depth
    table = rules["table"] if table is None else table
    x = rules["x_a"] * carat ** rules["x_b"] if x is None else x
    y = x * rules["y_ratio"] if y is None else y
    z = depth / 100 * (x + y) / 2 if z is None else z
    values = {
        "carat": carat,
        "cut": float(cut_rank(cut)),
        "color": float(color_rank(color)),
        "clarity": float(clarity_rank(clarity)),
        "depth": float(depth),
        "table": float(table),
        "x": round(float(x), 3),
        "y": round(float(y), 3),
        "z": round(float(z), 3),
    }
    return np.array([[values[f] for f in FEATURES]]), values, imputed


def predict_one(artefact: dict[str, Any], row: np.ndarray) -> tuple[float, float, float]:
    """(point, low, high) price in USD for one `feature_row`; low <= point <= high."""
    log_price = float(artefact["booster"].predict(row, num_threads=1)[0])
    return (
        math.exp(log_price) * artefact["smearing"],
        math.exp(log_price + artefact["q_low"]),
        math.exp(log_price + artefact["q_high"]),
    )
