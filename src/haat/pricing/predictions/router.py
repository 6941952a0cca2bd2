"""`/api/predictions`: gold and diamond price predictions, retraining and model status."""

from __future__ import annotations

from fastapi import APIRouter

from haat.core.deps import DbSession, Jobs
from haat.core.errors import responses
from haat.identity.auth import CurrentActor
from haat.ml import service as registry
from haat.ml.serving import Champions, LoadedModel, ModelChampions
from haat.pricing.predictions import service, tasks
from haat.pricing.predictions.schemas import (
    DiamondPredictionIn,
    DiamondPredictionOut,
    GoldPredictionIn,
    GoldPredictionOut,
    PredictionStatusOut,
    RetrainIn,
    RetrainOut,
)

router = APIRouter(prefix="/api/predictions", tags=["predictions"])


async def _champion(champions: Champions, name: str) -> LoadedModel:
    model = await champions.get(name)
    if model is None:
        raise service.unavailable(name, champions.error(name))
    return model


@router.post("/gold", response_model=GoldPredictionOut, responses=responses(422, 503))
async def predict_gold(data: GoldPredictionIn, champions: ModelChampions) -> GoldPredictionOut:
    """The gold price per gram (INR, 24K scaled by `purity`) predicted for the month of
    `date`, with an 80 % interval and the total for `weight_grams`. 503 while no gold model
    is trained."""
    return service.predict_gold(await _champion(champions, "gold"), data)


@router.post("/diamond", response_model=DiamondPredictionOut, responses=responses(422, 503))
async def predict_diamond(
    data: DiamondPredictionIn, champions: ModelChampions
) -> DiamondPredictionOut:
    """A diamond's predicted price (USD) with an 80 % interval and the features used. Unknown
    grades are 422 with the allowed values; 503 while no diamond model is trained."""
    return service.predict_diamond(await _champion(champions, "diamond"), data)


@router.post(
    "/retrain", status_code=202, response_model=RetrainOut, responses=responses(401, 403, 422)
)
async def retrain(
    data: RetrainIn, actor: CurrentActor, session: DbSession, jobs: Jobs
) -> RetrainOut:
    """Retrain `gold`, `diamond` or `all` in the background (platform admins). Each new
    version replaces the champion only if no worse on the same hold-out; see the job's
    result, or `GET /api/predictions/status` once it has run."""
    job, names = await tasks.request_retrain(session, jobs, actor, data.model)
    return RetrainOut(job_id=job.id, status=job.status.value, models=names)


@router.get("/status", response_model=PredictionStatusOut)
async def status(session: DbSession, champions: ModelChampions) -> PredictionStatusOut:
    """Each model's champion (version, training time, data span, hold-out metrics), its
    newest version and the version this server process holds in memory."""
    rows = await registry.versions(session)
    return service.status_out(rows, champions)
