"""Public listing: full-text search, filters, sorting and pagination."""

from __future__ import annotations

import httpx
import pytest

from haat.catalog.models import ProductStatus
from tests.conftest import Factory


@pytest.fixture
async def catalogue(factory: Factory) -> dict[str, object]:
    from haat.catalog import categories

    owner = await factory.user("owner")
    pottery_shop = await factory.business(owner, name="Jaipur Potters")
    other = await factory.business(await factory.user("weaver"), name="Kashmir Looms")
    async with factory.session() as s:
        vases = await categories.get_or_create_path(s, ["Pottery", "Vases"])
        shawls = await categories.get_or_create_path(s, ["Textiles", "Shawls"])
        await s.commit()
    made = {
        "vase": await factory.product(
            pottery_shop,
            title="Blue pottery vase",
            category_id=vases.id,
            price_minor=250000,
            description="Quartz-paste vase painted with cobalt blue flowers.",
            attributes={"material": "quartz", "colour": "cobalt blue"},
        ),
        "bowl": await factory.product(
            pottery_shop,
            title="Blue pottery bowl",
            category_id=vases.id,
            price_minor=90000,
            description="A small bowl for dry fruit.",
            attributes={"material": "quartz"},
        ),
        "shawl": await factory.product(
            other,
            title="Pashmina shawl",
            category_id=shawls.id,
            price_minor=1850000,
            description="Hand-spun pashmina with sozni embroidery.",
            attributes={"material": "pashmina wool"},
        ),
        "stole": await factory.product(
            other,
            title="Embroidered wool stole",
            category_id=shawls.id,
            price_minor=450000,
            description="Soft stole, kani weave, blue border.",
            currency="USD",
        ),
    }
    await factory.product(
        pottery_shop, title="Blue pottery draft plate", status=ProductStatus.DRAFT
    )
    return {"products": made, "pottery_shop": pottery_shop, "other": other}


def ids(response: httpx.Response) -> list[str]:
    return [p["id"] for p in response.json()["items"]]


async def test_full_text_search_ranks_title_matches_first(
    client: httpx.AsyncClient, catalogue: dict
) -> None:
    p = catalogue["products"]
    r = await client.get("/api/products", params={"search": "blue"})
    found = ids(r)
    # "blue" in the title beats "blue" only in the description.
    assert set(found[:2]) == {str(p["vase"].id), str(p["bowl"].id)}
    assert found[2] == str(p["stole"].id)
    assert r.json()["total"] == 3


async def test_search_stems_and_matches_attributes(
    client: httpx.AsyncClient, catalogue: dict
) -> None:
    p = catalogue["products"]
    # "vases" finds the vase by its title (stemmed) first, then the bowl by its category.
    found = ids(await client.get("/api/products", params={"search": "vases"}))
    assert found == [str(p["vase"].id), str(p["bowl"].id)]
    r = await client.get("/api/products", params={"search": "cobalt"})
    assert ids(r) == [str(p["vase"].id)]
    r = await client.get("/api/products", params={"search": "quartz bowl"})
    assert ids(r) == [str(p["bowl"].id)]  # every word must match
    # Business names are searchable too.
    r = await client.get("/api/products", params={"search": "kashmir looms"})
    assert set(ids(r)) == {str(p["shawl"].id), str(p["stole"].id)}


async def test_search_with_punctuation_only_or_operators(
    client: httpx.AsyncClient, catalogue: dict
) -> None:
    r = await client.get("/api/products", params={"search": '"); DROP TABLE products; --'})
    assert r.status_code == 200
    r = await client.get("/api/products", params={"search": "!!! ???"})
    assert r.status_code == 200 and r.json()["total"] == 0
    r = await client.get("/api/products", params={"search": "blue AND NOT OR NEAR"})
    assert r.status_code == 200


async def test_filters(client: httpx.AsyncClient, catalogue: dict) -> None:
    p = catalogue["products"]
    r = await client.get("/api/products", params={"category": "pottery"})
    assert set(ids(r)) == {str(p["vase"].id), str(p["bowl"].id)}  # includes sub-categories
    r = await client.get("/api/products", params={"category": "textiles-shawls"})
    assert set(ids(r)) == {str(p["shawl"].id), str(p["stole"].id)}
    r = await client.get("/api/products", params={"business": str(catalogue["other"].id)})
    assert set(ids(r)) == {str(p["shawl"].id), str(p["stole"].id)}
    r = await client.get("/api/products", params={"min_price": 100000, "max_price": 500000})
    assert set(ids(r)) == {str(p["vase"].id), str(p["stole"].id)}
    r = await client.get("/api/products", params={"currency": "usd"})
    assert ids(r) == [str(p["stole"].id)]
    r = await client.get(
        "/api/products", params={"search": "blue", "category": "pottery", "max_price": 100000}
    )
    assert ids(r) == [str(p["bowl"].id)]
    r = await client.get("/api/products", params={"category": "no-such-category"})
    assert r.json()["total"] == 0


async def test_sorting(client: httpx.AsyncClient, catalogue: dict) -> None:
    p = catalogue["products"]
    r = await client.get("/api/products", params={"sort": "price_asc"})
    prices = [i["price_minor"] for i in r.json()["items"]]
    assert prices == sorted(prices)
    r = await client.get("/api/products", params={"sort": "price_desc"})
    assert ids(r)[0] == str(p["shawl"].id)
    r = await client.get("/api/products", params={"sort": "newest"})
    assert ids(r)[0] == str(p["stole"].id)  # created last
    r = await client.get("/api/products", params={"sort": "cheapest"})
    assert r.status_code == 422


async def test_pagination(client: httpx.AsyncClient, catalogue: dict) -> None:
    r = await client.get("/api/products", params={"per_page": 3, "page": 1})
    body = r.json()
    assert (body["total"], body["page"], body["pages"], len(body["items"])) == (4, 1, 2, 3)
    second = (await client.get("/api/products", params={"per_page": 3, "page": 2})).json()
    assert len(second["items"]) == 1
    assert not {i["id"] for i in second["items"]} & {i["id"] for i in body["items"]}
    assert (await client.get("/api/products", params={"per_page": 101})).status_code == 422
    assert (await client.get("/api/products", params={"page": 0})).status_code == 422
    empty = (await client.get("/api/products", params={"page": 9})).json()
    assert empty["items"] == [] and empty["total"] == 4


async def test_edits_reach_the_index(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner, requires_approval=False)
    product = await factory.product(shop, title="Terracotta horse")
    assert ids(await client.get("/api/products", params={"search": "terracotta"}))
    await client.patch(
        f"/api/products/{product.id}", headers=owner.headers, json={"title": "Bankura clay horse"}
    )
    assert not ids(await client.get("/api/products", params={"search": "terracotta"}))
    assert ids(await client.get("/api/products", params={"search": "bankura"}))
    await client.post(f"/api/products/{product.id}/archive", headers=owner.headers)
    assert not ids(await client.get("/api/products", params={"search": "bankura"}))


async def test_categories_tree_and_admin_creation(
    client: httpx.AsyncClient, factory: Factory, catalogue: dict
) -> None:
    from haat.identity.models import PlatformRole

    tree = (await client.get("/api/categories")).json()
    assert [c["name"] for c in tree] == ["Pottery", "Textiles"]
    assert tree[0]["children"][0]["slug"] == "pottery-vases"
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    seller = await factory.user("seller")
    r = await client.post("/api/categories", headers=seller.headers, json={"name": "Toys"})
    assert r.status_code == 403
    assert (await client.post("/api/categories", json={"name": "Toys"})).status_code == 401
    r = await client.post(
        "/api/categories",
        headers=staff.headers,
        json={"name": "Lacquer toys", "parent_id": tree[0]["id"]},
    )
    assert r.status_code == 201 and r.json()["slug"] == "pottery-lacquer-toys"
    r = await client.post(
        "/api/categories",
        headers=staff.headers,
        json={"name": "Lacquer toys", "parent_id": tree[0]["id"]},
    )
    assert r.status_code == 409


async def test_counts_stop_at_the_cap(
    client: httpx.AsyncClient, catalogue: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("haat.core.pagination.COUNT_CAP", 2)
    body = (await client.get("/api/products", params={"per_page": 1})).json()
    assert (body["total"], body["total_exact"], body["pages"]) == (2, False, 2)
    assert len(body["items"]) == 1
