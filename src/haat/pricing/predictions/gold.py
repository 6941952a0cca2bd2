"""Gold price forecast: monthly INR per gram of fine gold, with 80 % intervals.

The series: USD per troy ounce (`pricing/data/gold_monthly_usd_per_oz.csv`, World Bank "Pink
Sheet" from 1960) times INR per USD (`fx/data/fx_monthly_per_usd.csv`, US Federal Reserve), divided
by 31.1034768 g per troy ounce, for every month both exist (1973-01 on). Sources and licences
are in the READMEs beside the files.

The model: an ARIMA(1,1,0) with drift on the log price, i.e. the monthly log return follows
``r_t = c + phi * r_(t-1) + e_t``, fitted by ordinary least squares (the conditional maximum
likelihood estimate) on the whole history up to the forecast origin. Forecasts chain the
expected returns: ``log p_(t+h) = log p_t + sum of the expected r``.

The interval: for each horizon h (1..36 months) a rolling-origin backtest over the whole history
collects the model's out-of-sample log errors at h; the 80 % interval is the point forecast
times ``exp(-q_h) .. exp(q_h)``, ``q_h`` the 80th percentile of the absolute log errors. In the
backtest every origin uses only errors whose outcome was known by then (split-conformal
prediction, applied sequentially), so its coverage figures are out of sample; the served model
uses all the errors observed up to the end of its data.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib.resources import files
from typing import Any

import numpy as np

from haat.ml.specs import ModelSpec, Progress, TrainResult, register

NAME = "gold"
GRAMS_PER_TROY_OUNCE = 31.1034768  # the international troy ounce (1959 agreement)
MIN_POINTS = 30
MAX_HORIZON = 36
BACKTEST_MONTHS = 120
BACKTEST_HORIZONS = (1, 3, 12)
COVERAGE = 0.8
FIRST_ORIGIN = 36  # months of history before the first backtest origin
MIN_ERRORS = 10  # errors needed at a horizon before it gets an interval


class InsufficientData(ValueError):
    """Too few monthly points to fit and calibrate the model."""


def month_index(year: int, month: int) -> int:
    """Months since year 0 (``year * 12 + month - 1``), the series' time axis."""
    return year * 12 + month - 1


def month_label(index: int) -> str:
    """``YYYY-MM`` of a `month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_start(index: int) -> date:
    """The first day of a `month_index`."""
    return date(index // 12, index % 12 + 1, 1)


def _parse(label: str) -> int:
    year, month = label.split("-")
    return month_index(int(year), int(month))


def load_series(until: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(months as `month_index`, INR per gram of fine gold), for every month with both a gold
    price and an INR rate, in order, up to month ``until`` (YYYY-MM) if given."""
    gold_text = (files("haat.pricing") / "data" / "gold_monthly_usd_per_oz.csv").read_text()
    fx_text = (files("haat.fx") / "data" / "fx_monthly_per_usd.csv").read_text()
    gold = {row["Date"]: float(row["Price"]) for row in csv.DictReader(io.StringIO(gold_text))}
    inr = {
        row["month"]: float(row["units_per_usd"])
        for row in csv.DictReader(io.StringIO(fx_text))
        if row["currency"] == "INR"
    }
    last = _parse(until) if until else None
    months = sorted(_parse(m) for m in gold.keys() & inr.keys())
    months = [m for m in months if last is None or m <= last]
    prices = [gold[month_label(m)] * inr[month_label(m)] / GRAMS_PER_TROY_OUNCE for m in months]
    return np.asarray(months, dtype=np.int64), np.asarray(prices, dtype=np.float64)


def _fit(log_prices: np.ndarray) -> tuple[float, float]:
    """(c, phi) of ``r_t = c + phi r_(t-1)`` by least squares on the log returns."""
    returns = np.diff(log_prices)
    design = np.column_stack([np.ones(len(returns) - 1), returns[:-1]])
    (c, phi), *_ = np.linalg.lstsq(design, returns[1:], rcond=None)
    return float(c), float(phi)


def _path(last_log: float, last_return: float, c: float, phi: float, steps: int) -> np.ndarray:
    """Log forecasts for horizons 1..steps."""
    out = np.empty(steps)
    level, current = last_log, last_return
    for h in range(steps):
        current = c + phi * current
        level += current
        out[h] = level
    return out


def _rolling_errors(log_prices: np.ndarray, first_origin: int) -> np.ndarray:
    """``errors[t, h]``: log actual minus log forecast made at origin t for t + h (NaN where
    the outcome is not in the data). Shape (n, MAX_HORIZON + 1); column 0 is unused."""
    n = len(log_prices)
    errors = np.full((n, MAX_HORIZON + 1), np.nan)
    for t in range(first_origin, n - 1):
        c, phi = _fit(log_prices[: t + 1])
        steps = min(MAX_HORIZON, n - 1 - t)
        path = _path(log_prices[t], log_prices[t] - log_prices[t - 1], c, phi, steps)
        errors[t, 1 : steps + 1] = log_prices[t + 1 : t + 1 + steps] - path
    return errors


def _first_origin(n: int) -> int:
    return max(12, min(FIRST_ORIGIN, n // 3))


def _check_points(n: int) -> None:
    if n < MIN_POINTS:
        raise InsufficientData(
            f"the gold series has {n} monthly points; at least {MIN_POINTS} are needed"
        )


def backtest(months: np.ndarray, prices: np.ndarray) -> dict[str, Any]:
    """Rolling-origin backtest over the last `BACKTEST_MONTHS` origins of the series.

    For each horizon h in `BACKTEST_HORIZONS`: ``mape`` of the model, ``naive_mape`` (last
    value), ``drift_mape`` (the straight line from the first to the last point, Hyndman &
    Athanasopoulos, "Forecasting: principles and practice", 5.2), ``coverage`` of the 80 %
    interval calibrated sequentially (only errors known at each origin) and ``forecasts``.
    ``mape_mean`` (%) is the mean of the model's MAPE over the horizons (lower is better).
    """
    _check_points(len(prices))
    log_prices = np.log(prices)
    n, first = len(prices), _first_origin(len(prices))
    errors = _rolling_errors(log_prices, first)
    start = max(first + 1, n - BACKTEST_MONTHS)
    horizons: dict[str, Any] = {}
    for h in BACKTEST_HORIZONS:
        origins = [t for t in range(start, n - h)]
        model_ape, naive_ape, drift_ape, inside = [], [], [], []
        for t in origins:
            actual = prices[t + h]
            forecast = actual / np.exp(errors[t, h])
            drift = prices[t] + h * (prices[t] - prices[0]) / t
            model_ape.append(abs(actual - forecast) / actual)
            naive_ape.append(abs(actual - prices[t]) / actual)
            drift_ape.append(abs(actual - drift) / actual)
            known = np.abs(errors[first : t - h + 1, h])
            known = known[~np.isnan(known)]
            if len(known) >= MIN_ERRORS:
                inside.append(abs(errors[t, h]) <= np.quantile(known, COVERAGE))
        if not origins:
            continue
        horizons[str(h)] = {
            "mape": round(100 * float(np.mean(model_ape)), 3),
            "naive_mape": round(100 * float(np.mean(naive_ape)), 3),
            "drift_mape": round(100 * float(np.mean(drift_ape)), 3),
            "coverage": round(float(np.mean(inside)), 4) if inside else None,
            "forecasts": len(origins),
        }
    if not horizons:
        raise InsufficientData("the gold series is too short for a backtest")
    return {
        "horizons": horizons,
        "mape_mean": round(float(np.mean([v["mape"] for v in horizons.values()])), 4),
        "backtest_from": month_label(int(months[start])),
        "backtest_to": month_label(int(months[-1])),
    }


def train(params: dict[str, Any], progress: Progress) -> TrainResult:
    """Fit the model on the series up to ``params["until"]`` (YYYY-MM, default: all of it).

    Raises `InsufficientData` below `MIN_POINTS` points. The artefact holds the fitted
    coefficients, the last observation and the interval half-widths ``q`` (log units) per
    horizon 1..``max_horizon``.
    """
    until = params.get("until")
    months, prices = load_series(until)
    _check_points(len(prices))
    progress("backtesting the gold forecast")
    metrics = backtest(months, prices)
    progress("calibrating and fitting the gold forecast")
    log_prices = np.log(prices)
    errors = _rolling_errors(log_prices, _first_origin(len(prices)))
    q = np.full(MAX_HORIZON + 1, np.nan)
    for h in range(1, MAX_HORIZON + 1):
        known = np.abs(errors[:, h])
        known = known[~np.isnan(known)]
        if len(known) >= MIN_ERRORS:
            q[h] = float(np.quantile(known, COVERAGE))
    max_horizon = int(max(h for h in range(1, MAX_HORIZON + 1) if not np.isnan(q[h])))
    c, phi = _fit(log_prices)
    artefact = {
        "method": "arima110_drift_log",
        "c": c,
        "phi": phi,
        "last_month": int(months[-1]),
        "last_log_price": float(log_prices[-1]),
        "last_return": float(log_prices[-1] - log_prices[-2]),
        "q": q,
        "max_horizon": max_horizon,
    }
    metrics = {**metrics, "c": round(c, 6), "phi": round(phi, 4), "max_horizon": max_horizon}
    return TrainResult(
        artefact=artefact,
        n_rows=len(prices),
        data_start=month_start(int(months[0])),
        data_end=month_start(int(months[-1])),
        metrics=metrics,
        params={"until": until} if until else {},
    )


def holdout(params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The series a model trained with ``params`` was backtested on."""
    return load_series(params.get("until"))


def score(artefact: dict[str, Any], series: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """The backtest of this model's method on ``series`` (see `backtest`). Every gold version
    so far has the same method, refitted at each origin, so the score depends on the data."""
    if artefact.get("method") != "arima110_drift_log":
        raise ValueError(f"unknown gold model method {artefact.get('method')!r}")
    return backtest(*series)


def forecast(artefact: dict[str, Any], target_month: int) -> tuple[float, float, float]:
    """(point, low, high) INR per gram of fine gold for `month_index` ``target_month``, which
    must be 1..``max_horizon`` months after the artefact's last month (`ValueError`)."""
    h = target_month - int(artefact["last_month"])
    if not 1 <= h <= int(artefact["max_horizon"]):
        raise ValueError(f"horizon {h} outside 1..{artefact['max_horizon']}")
    path = _path(
        artefact["last_log_price"], artefact["last_return"], artefact["c"], artefact["phi"], h
    )
    half = float(artefact["q"][h])
    return float(np.exp(path[-1])), float(np.exp(path[-1] - half)), float(np.exp(path[-1] + half))


SPEC = register(
    ModelSpec(
        name=NAME,
        description="gold, INR per gram (24K), monthly: ARIMA(1,1,0) with drift on log price",
        train=train,
        holdout=holdout,
        score=score,
        metric="mape_mean",
        steps=2,
    )
)
