"""Price predictions from the served champions: gold per gram (INR) and diamonds (USD).

Free of HTTP and of the database: the caller passes the champion (`haat.ml.serving`), so a
prediction costs a few arithmetic steps and one model evaluation, and the registry rows for
the status. Amounts leave as integer
minor units (paise, cents), rounded half up from the model's float output.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from haat.core.errors import HaatError, Unprocessable
from haat.ml import specs
from haat.ml.models import ModelStatus, ModelVersion
from haat.ml.serving import Champions, LoadedModel
from haat.pricing.predictions import diamonds, gold
from haat.pricing.predictions.schemas import (
    DiamondPredictionIn,
    DiamondPredictionOut,
    GoldPredictionIn,
    GoldPredictionOut,
    ModelRef,
    ModelStatusOut,
    MoneyRange,
    PredictionStatusOut,
    VersionOut,
)


class ModelUnavailable(HaatError):
    status, code, title = 503, "model_unavailable", "The price model is not available"


def unavailable(name: str, problem: str | None) -> ModelUnavailable:
    """The 503 for a model with no loaded champion (``problem``: why loading failed)."""
    if problem:
        return ModelUnavailable(f"The {name} model could not be loaded ({problem}).")
    return ModelUnavailable(
        f"No {name} price model is trained yet: an admin can train one with "
        f"`haat ml train {name}` or POST /api/predictions/retrain."
    )


def _minor(amount: float) -> int:
    """A float amount of major units as integer minor units (x 100), rounded half up."""
    return int((Decimal(repr(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ref(model: LoadedModel) -> ModelRef:
    return ModelRef(
        name=model.name,
        version=model.version,
        trained_at=model.created_at,
        data_start=model.data_start,
        data_end=model.data_end,
    )


def predict_gold(model: LoadedModel, data: GoldPredictionIn) -> GoldPredictionOut:
    """The price per gram at ``data.purity`` for the month of ``data.date``: the 24K forecast
    times purity / 1000, and the total for ``weight_grams``; 80 % intervals.

    Raises `Unprocessable` (422, field ``date``) for a month already in the model's data or
    beyond its longest calibrated horizon (36 months after its last month of data).
    """
    artefact = model.artefact
    target = gold.month_index(data.date.year, data.date.month)
    horizon = target - int(artefact["last_month"])
    longest = int(artefact["max_horizon"])
    if horizon < 1:
        raise Unprocessable(
            "That month is already in the gold model's data; ask for a later month.",
            errors=[{"loc": ["body", "date"], "msg": "month already observed", "type": "range"}],
        )
    if horizon > longest:
        last = gold.month_label(int(artefact["last_month"]) + longest)
        raise Unprocessable(
            f"The gold model forecasts at most {longest} months past its data, up to {last}.",
            errors=[
                {"loc": ["body", "date"], "msg": f"must be in {last} or earlier", "type": "range"}
            ],
        )
    point, low, high = gold.forecast(artefact, target)
    factor = data.purity / 1000
    per_gram = [_minor(v * factor) for v in (point, low, high)]
    total = None
    total_interval = None
    if data.weight_grams is not None:
        totals = [_minor(v * factor * data.weight_grams) for v in (point, low, high)]
        total = totals[0]
        total_interval = MoneyRange(low_minor=totals[1], high_minor=totals[2], coverage=0.8)
    return GoldPredictionOut(
        target_month=gold.month_label(target),
        horizon_months=horizon,
        purity=data.purity,
        price_per_gram_minor=per_gram[0],
        price_per_gram_interval=MoneyRange(
            low_minor=per_gram[1], high_minor=per_gram[2], coverage=gold.COVERAGE
        ),
        weight_grams=data.weight_grams,
        total_minor=total,
        total_interval=total_interval,
        model=_ref(model),
        basis="monthly average of the international gold price (USD/troy oz) in INR at the "
        "month's average USD/INR rate, per gram, times purity/1000; excludes GST, making "
        "charges and local premiums",
    )


def predict_diamond(model: LoadedModel, data: DiamondPredictionIn) -> DiamondPredictionOut:
    """The price of one stone in USD cents with an 80 % interval, the features used (grades
    as ranks), the measures filled in, and warnings for grades outside the training data
    (D..J colour, IF..I1 clarity): such a stone is priced as the nearest grade seen."""
    artefact = model.artefact
    row, features, imputed = diamonds.feature_row(
        artefact,
        carat=data.carat,
        cut=data.cut,
        color=data.color,
        clarity=data.clarity,
        depth=data.depth,
        table=data.table,
        x=data.x,
        y=data.y,
        z=data.z,
    )
    point, low, high = diamonds.predict_one(artefact, row)
    warnings = []
    if data.color not in diamonds.TRAINED_COLORS:
        warnings.append(
            f"colour {data.color} is below the training data's range (D-J): priced as J, "
            "so the estimate is likely too high"
        )
    if data.clarity not in diamonds.TRAINED_CLARITIES:
        nearest = "IF" if data.clarity == "FL" else "I1"
        warnings.append(
            f"clarity {data.clarity} is outside the training data's range (IF-I1): priced "
            f"as {nearest}"
        )
    if data.carat > 5.01:
        warnings.append("carat above the training data's largest stone (5.01 ct)")
    return DiamondPredictionOut(
        price_minor=_minor(point),
        interval=MoneyRange(
            low_minor=_minor(low), high_minor=_minor(high), coverage=diamonds.COVERAGE
        ),
        features=features,
        imputed=imputed,
        warnings=warnings,
        model=_ref(model),
    )


def version_out(row: ModelVersion) -> VersionOut:
    """A registry row as `/api/predictions/status` shows it."""
    return VersionOut(
        version=row.version,
        status=row.status.value,
        trained_at=row.created_at,
        training_seconds=row.training_seconds,
        data_start=row.data_start,
        data_end=row.data_end,
        n_rows=row.n_rows,
        metrics=row.metrics,
        comparison=row.comparison,
    )


def status_out(rows: list[ModelVersion], champions: Champions) -> PredictionStatusOut:
    """Each prediction model's champion, newest version and the version this process serves,
    from all registry ``rows`` (newest first per name, as `haat.ml.service.versions` gives)."""
    out = []
    for name in (gold.NAME, diamonds.NAME):
        mine = [row for row in rows if row.name == name]
        champion = next((row for row in mine if row.status == ModelStatus.CHAMPION), None)
        loaded = champions.loaded(name)
        out.append(
            ModelStatusOut(
                name=name,
                description=specs.get(name).description,
                champion=version_out(champion) if champion else None,
                latest=version_out(mine[0]) if mine else None,
                loaded_version=loaded.version if loaded else None,
            )
        )
    return PredictionStatusOut(models=out)
