"""The framework ceiling: a bare FastAPI app returning a fixed 20-item JSON list, served with
the same uvicorn settings as Haat, so Haat's figures can be read as a share of it."""

from fastapi import FastAPI

app = FastAPI()
ITEMS = [
    {
        "id": f"00000000-0000-0000-0000-{i:012d}",
        "title": f"Item {i}",
        "price_minor": 100 * i,
        "currency": "INR",
        "stock_quantity": i,
    }
    for i in range(20)
]


@app.get("/items")
async def items() -> list[dict[str, object]]:
    return ITEMS
