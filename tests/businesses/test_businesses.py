"""`/api/businesses` and `/api/clusters`: directory, details, members and roles, clusters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from haat.businesses.models import Business, BusinessRole, Cluster
from haat.identity.models import PlatformRole
from tests.conftest import Caller, Factory

PROBLEM = "application/problem+json"
NON_ADMIN_ROLES = ["approver", "editor", "viewer"]
ALL_MEMBER_ROLES = ["admin", "approver", "editor", "viewer"]


@dataclass
class Team:
    """One business with a member in every role, plus two kinds of strangers."""

    business: Business
    admin: Caller
    approver: Caller
    editor: Caller
    viewer: Caller
    outsider: Caller  # the admin of ANOTHER business
    platform_admin: Caller

    def caller(self, who: str) -> Caller:
        return getattr(self, who)

    def url(self, suffix: str = "") -> str:
        return f"/api/businesses/{self.business.id}{suffix}"


@pytest.fixture
async def team(factory: Factory) -> Team:
    admin = await factory.user("admin")
    business = await factory.business(admin, name="Blue Pottery Works")
    other_owner = await factory.user("outsider")
    await factory.business(other_owner, name="Other Shop")
    return Team(
        business=business,
        admin=admin,
        approver=await factory.member(business, BusinessRole.APPROVER),
        editor=await factory.member(business, BusinessRole.EDITOR),
        viewer=await factory.member(business, BusinessRole.VIEWER),
        outsider=other_owner,
        platform_admin=await factory.user("staff", role=PlatformRole.ADMIN),
    )


def business_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Sanganer Block Prints",
        "kind": "artisan_workshop",
        "description": "Hand block printing on cotton",
        "city": "Jaipur",
        "state": "Rajasthan",
        "country": "in",
        "latitude": 26.82,
        "longitude": 75.79,
        "requires_approval": False,
    }
    body.update(overrides)
    return body


def assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == status and body["type"] == code, body
    return body


def assert_field_error(r: httpx.Response, loc: list[str]) -> None:
    body = assert_problem(r, 422, "validation_error")
    assert any(e["loc"] == loc for e in body["errors"]), body["errors"]


async def members_by_id(client: httpx.AsyncClient, team: Team) -> dict[str, str]:
    r = await client.get(team.url("/members"), headers=team.admin.headers)
    assert r.status_code == 200, r.text
    return {m["user_id"]: m["role"] for m in r.json()}


async def add_cluster(factory: Factory, name: str = "Channapatna", **overrides: Any) -> Cluster:
    fields: dict[str, Any] = {
        "name": name,
        "slug": name.lower(),
        "town": name,
        "state": "Karnataka",
        "country": "IN",
        "craft": "Lacquered wooden toys",
        "category": "Handicraft",
        "materials": "ivory wood, lac",
        "gi_tag": True,
        "latitude": 12.65,
        "longitude": 77.21,
    }
    fields.update(overrides)
    async with factory.session() as s:
        cluster = Cluster(**fields)
        s.add(cluster)
        await s.commit()
    return cluster


# --- create -------------------------------------------------------------------------------


async def test_create_business_makes_creator_admin_and_seller(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("meera")
    r = await client.post("/api/businesses", headers=owner.headers, json=business_body())
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["name"] == "Sanganer Block Prints"
    assert created["slug"] == "sanganer-block-prints"
    assert created["kind"] == "artisan_workshop"
    assert created["country"] == "IN"  # normalised to upper case
    assert created["state"] == "Rajasthan"
    assert created["latitude"] == 26.82 and created["longitude"] == 75.79
    assert created["requires_approval"] is False
    assert created["cluster_id"] is None
    uuid.UUID(created["id"])

    mine = await client.get("/api/businesses/mine", headers=owner.headers)
    assert mine.status_code == 200
    assert [(b["id"], b["role"]) for b in mine.json()] == [(created["id"], "admin")]

    me = await client.get("/api/auth/me", headers=owner.headers)
    assert me.status_code == 200 and me.json()["platform_role"] == "seller"

    fetched = await client.get(f"/api/businesses/{created['id']}")
    assert fetched.status_code == 200 and fetched.json() == created


async def test_create_business_defaults(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("ravi")
    r = await client.post(
        "/api/businesses",
        headers=owner.headers,
        json={"name": "Ravi Kirana", "kind": "grocery_store", "city": "Pune", "country": "IN"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["description"] == "" and body["state"] is None
    assert body["latitude"] is None and body["longitude"] is None
    assert body["requires_approval"] is True


async def test_platform_admin_creating_a_business_stays_platform_admin(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    r = await client.post("/api/businesses", headers=staff.headers, json=business_body())
    assert r.status_code == 201, r.text
    me = await client.get("/api/auth/me", headers=staff.headers)
    assert me.json()["platform_role"] == "admin"
    mine = await client.get("/api/businesses/mine", headers=staff.headers)
    assert [b["role"] for b in mine.json()] == ["admin"]


async def test_create_business_requires_login(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/businesses", json=business_body())
    assert_problem(r, 401, "unauthenticated")
    assert r.headers["WWW-Authenticate"] == "Bearer"
    listed = await client.get("/api/businesses")
    assert listed.json()["total"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "bakery"}, "kind"),
        ({"country": "QQ"}, "country"),
        ({"country": "IND"}, "country"),
        ({"latitude": 90.5}, "latitude"),
        ({"latitude": -91}, "latitude"),
        ({"longitude": 180.1}, "longitude"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"city": ""}, "city"),
        ({"cluster_id": "not-a-uuid"}, "cluster_id"),
        ({"description": "x" * 5001}, "description"),
    ],
)
async def test_create_business_validation_names_the_field(
    client: httpx.AsyncClient, factory: Factory, overrides: dict[str, Any], field: str
) -> None:
    owner = await factory.user("meera")
    r = await client.post("/api/businesses", headers=owner.headers, json=business_body(**overrides))
    assert_field_error(r, ["body", field])
    mine = await client.get("/api/businesses/mine", headers=owner.headers)
    assert mine.json() == []


async def test_create_business_missing_fields_are_listed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("meera")
    r = await client.post("/api/businesses", headers=owner.headers, json={"name": "Only a name"})
    body = assert_problem(r, 422, "validation_error")
    missing = {tuple(e["loc"]) for e in body["errors"]}
    assert {("body", "kind"), ("body", "city"), ("body", "country")} <= missing


async def test_create_business_unknown_cluster_is_404(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("meera")
    r = await client.post(
        "/api/businesses", headers=owner.headers, json=business_body(cluster_id=str(uuid.uuid4()))
    )
    assert_problem(r, 404, "not_found")
    assert (await client.get("/api/businesses")).json()["total"] == 0
    me = await client.get("/api/auth/me", headers=owner.headers)
    assert me.json()["platform_role"] == "buyer"  # nothing was kept


async def test_create_business_in_a_cluster(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("meera")
    cluster = await add_cluster(factory)
    r = await client.post(
        "/api/businesses", headers=owner.headers, json=business_body(cluster_id=str(cluster.id))
    )
    assert r.status_code == 201, r.text
    assert r.json()["cluster_id"] == str(cluster.id)


async def test_slugs_are_unique_when_names_repeat(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    first_owner, second_owner = await factory.user("a"), await factory.user("b")
    body = business_body(name="Blue Pottery Works!")
    r1 = await client.post("/api/businesses", headers=first_owner.headers, json=body)
    r2 = await client.post("/api/businesses", headers=second_owner.headers, json=body)
    r3 = await client.post("/api/businesses", headers=first_owner.headers, json=body)
    assert [r.status_code for r in (r1, r2, r3)] == [201, 201, 201]
    assert [r.json()["slug"] for r in (r1, r2, r3)] == [
        "blue-pottery-works",
        "blue-pottery-works-2",
        "blue-pottery-works-3",
    ]
    assert len({r.json()["id"] for r in (r1, r2, r3)}) == 3


# --- list, get, mine ----------------------------------------------------------------------


async def test_list_is_public_and_paginated(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    for name in ("Charlie Crafts", "Alpha Arts", "Bravo Brass"):
        await factory.business(owner, name=name)

    r = await client.get("/api/businesses", params={"per_page": 2})
    assert r.status_code == 200
    page1 = r.json()
    assert set(page1) == {"items", "total", "total_exact", "page", "pages"}
    assert (page1["total"], page1["page"], page1["pages"]) == (3, 1, 2)
    assert [b["name"] for b in page1["items"]] == ["Alpha Arts", "Bravo Brass"]

    page2 = (await client.get("/api/businesses", params={"per_page": 2, "page": 2})).json()
    assert (page2["total"], page2["page"], page2["pages"]) == (3, 2, 2)
    assert [b["name"] for b in page2["items"]] == ["Charlie Crafts"]

    beyond = (await client.get("/api/businesses", params={"per_page": 2, "page": 3})).json()
    assert beyond["items"] == [] and beyond["total"] == 3


async def test_list_empty(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/businesses")
    assert r.status_code == 200
    assert r.json() == {"items": [], "total": 0, "total_exact": True, "page": 1, "pages": 0}


async def test_list_search_matches_name_or_city_case_insensitively(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    for name, city in (
        ("Blue Pottery Works", "Jaipur"),
        ("Kanchipuram Silks", "Chennai"),
        ("Brass Emporium", "Moradabad"),
    ):
        r = await client.post(
            "/api/businesses", headers=owner.headers, json=business_body(name=name, city=city)
        )
        assert r.status_code == 201, r.text

    async def names(search: str) -> list[str]:
        r = await client.get("/api/businesses", params={"search": search})
        assert r.status_code == 200
        assert r.json()["total"] == len(r.json()["items"])
        return [b["name"] for b in r.json()["items"]]

    assert await names("POTTERY") == ["Blue Pottery Works"]
    assert await names("chennai") == ["Kanchipuram Silks"]
    assert await names("b") == ["Blue Pottery Works", "Brass Emporium"]
    assert await names("nothing like this") == []
    # LIKE wildcards in the search are taken literally.
    assert await names("%") == []
    assert await names("_") == []


async def test_list_search_finds_literal_wildcard_characters(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    await factory.business(owner, name="100% Cotton")
    await factory.business(owner, name="1000 Threads")
    r = await client.get("/api/businesses", params={"search": "100%"})
    assert [b["name"] for b in r.json()["items"]] == ["100% Cotton"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"page": 0}, ["query", "page"]),
        ({"per_page": 0}, ["query", "per_page"]),
        ({"per_page": 101}, ["query", "per_page"]),
        ({"page": "two"}, ["query", "page"]),
        ({"search": "x" * 101}, ["query", "search"]),
    ],
)
async def test_list_validation(
    client: httpx.AsyncClient, params: dict[str, Any], loc: list[str]
) -> None:
    r = await client.get("/api/businesses", params=params)
    assert_field_error(r, loc)


async def test_get_one(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.get(team.url())
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == str(team.business.id)
    assert body["name"] == "Blue Pottery Works" and body["slug"] == "blue-pottery-works"
    assert body["city"] == "Jaipur" and body["country"] == "IN"


async def test_get_unknown_business_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get(f"/api/businesses/{uuid.uuid4()}")
    assert_problem(r, 404, "not_found")


async def test_get_malformed_id_is_404(client: httpx.AsyncClient) -> None:
    # Ids are matched as UUIDs by the route itself, so a malformed one names no resource.
    r = await client.get("/api/businesses/not-a-uuid")
    assert_problem(r, 404, "not_found")


async def test_mine_lists_each_business_with_my_role(
    client: httpx.AsyncClient, factory: Factory, team: Team
) -> None:
    assert (await client.get("/api/businesses/mine")).status_code == 401
    other = await factory.business(team.editor, name="Aardvark Arts")
    r = await client.get("/api/businesses/mine", headers=team.editor.headers)
    assert r.status_code == 200
    assert [(b["name"], b["role"]) for b in r.json()] == [
        ("Aardvark Arts", "admin"),
        ("Blue Pottery Works", "editor"),
    ]
    assert r.json()[0]["id"] == str(other.id)
    staff = await client.get("/api/businesses/mine", headers=team.platform_admin.headers)
    assert staff.status_code == 200 and staff.json() == []


# --- update -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "platform_admin"])
async def test_update_business_by_admins(client: httpx.AsyncClient, team: Team, who: str) -> None:
    r = await client.patch(
        team.url(),
        headers=team.caller(who).headers,
        json={
            "name": "Blue Pottery Studio",
            "description": "Since 1952",
            "country": "np",
            "latitude": -12.5,
            "requires_approval": False,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Blue Pottery Studio" and body["description"] == "Since 1952"
    assert body["country"] == "NP" and body["latitude"] == -12.5
    assert body["requires_approval"] is False
    assert body["city"] == "Jaipur"  # untouched
    assert body["slug"] == "blue-pottery-works"  # the slug stays stable
    assert (await client.get(team.url())).json() == body


@pytest.mark.parametrize("who", [*NON_ADMIN_ROLES, "outsider"])
async def test_update_business_forbidden_to_others(
    client: httpx.AsyncClient, team: Team, who: str
) -> None:
    r = await client.patch(team.url(), headers=team.caller(who).headers, json={"name": "Mine now"})
    assert_problem(r, 403, "forbidden")
    assert (await client.get(team.url())).json()["name"] == "Blue Pottery Works"


async def test_update_business_anonymous_is_401(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(team.url(), json={"name": "Mine now"})
    assert_problem(r, 401, "unauthenticated")
    assert (await client.get(team.url())).json()["name"] == "Blue Pottery Works"


async def test_update_unknown_business_is_404(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(
        f"/api/businesses/{uuid.uuid4()}", headers=team.admin.headers, json={"name": "X"}
    )
    assert_problem(r, 404, "not_found")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"latitude": 100}, "latitude"),
        ({"longitude": -200}, "longitude"),
        ({"country": "ZZ"}, "country"),
        ({"name": ""}, "name"),
        ({"city": "x" * 121}, "city"),
        ({"requires_approval": "sometimes"}, "requires_approval"),
    ],
)
async def test_update_business_validation(
    client: httpx.AsyncClient, team: Team, patch: dict[str, Any], field: str
) -> None:
    r = await client.patch(team.url(), headers=team.admin.headers, json=patch)
    assert_field_error(r, ["body", field])


async def test_update_business_nulls(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(
        team.url(),
        headers=team.admin.headers,
        json={"state": "Rajasthan", "latitude": 26.9, "description": "Old"},
    )
    assert r.status_code == 200, r.text
    # Optional columns may be cleared; required ones ignore null instead of failing.
    r = await client.patch(
        team.url(),
        headers=team.admin.headers,
        json={
            "state": None,
            "latitude": None,
            "name": None,
            "city": None,
            "description": None,
            "country": None,
            "requires_approval": None,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["state"] is None and body["latitude"] is None
    assert body["name"] == "Blue Pottery Works" and body["city"] == "Jaipur"
    assert body["description"] == "Old" and body["country"] == "IN"
    assert body["requires_approval"] is True


# --- members: list ------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*ALL_MEMBER_ROLES, "platform_admin"])
async def test_list_members_for_members_and_platform_admin(
    client: httpx.AsyncClient, team: Team, who: str
) -> None:
    r = await client.get(team.url("/members"), headers=team.caller(who).headers)
    assert r.status_code == 200, r.text
    members = {m["user_id"]: m for m in r.json()}
    assert {uid: m["role"] for uid, m in members.items()} == {
        str(team.admin.id): "admin",
        str(team.approver.id): "approver",
        str(team.editor.id): "editor",
        str(team.viewer.id): "viewer",
    }
    viewer = members[str(team.viewer.id)]
    assert viewer["email"] == team.viewer.user.email and viewer["full_name"] == "Viewer"
    assert viewer["phone"] is None and viewer["since"]


async def test_list_members_forbidden_to_other_business(
    client: httpx.AsyncClient, team: Team, factory: Factory
) -> None:
    r = await client.get(team.url("/members"), headers=team.outsider.headers)
    assert_problem(r, 403, "forbidden")
    buyer = await factory.user("buyer")
    r = await client.get(team.url("/members"), headers=buyer.headers)
    assert_problem(r, 403, "forbidden")


async def test_list_members_anonymous_unknown_and_malformed(
    client: httpx.AsyncClient, team: Team
) -> None:
    assert_problem(await client.get(team.url("/members")), 401, "unauthenticated")
    r = await client.get(f"/api/businesses/{uuid.uuid4()}/members", headers=team.admin.headers)
    assert_problem(r, 404, "not_found")
    r = await client.get("/api/businesses/nope/members", headers=team.admin.headers)
    assert_problem(r, 404, "not_found")


# --- members: add -------------------------------------------------------------------------


async def test_add_member_by_email(client: httpx.AsyncClient, team: Team, factory: Factory) -> None:
    newcomer = await factory.user("newcomer")
    email = (newcomer.user.email or "").upper()  # emails match case-insensitively
    r = await client.post(
        team.url("/members"), headers=team.admin.headers, json={"email": email, "role": "editor"}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user_id"] == str(newcomer.id) and body["role"] == "editor"
    assert body["email"] == newcomer.user.email and body["full_name"] == "Newcomer"
    assert (await members_by_id(client, team))[str(newcomer.id)] == "editor"
    mine = await client.get("/api/businesses/mine", headers=newcomer.headers)
    assert [(b["id"], b["role"]) for b in mine.json()] == [(str(team.business.id), "editor")]


async def test_add_member_by_phone(client: httpx.AsyncClient, team: Team, factory: Factory) -> None:
    newcomer = await factory.user("phoney", phone="+919812345678")
    r = await client.post(
        team.url("/members"),
        headers=team.admin.headers,
        json={"phone": "+91 98123 45678", "role": "viewer"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["user_id"] == str(newcomer.id)
    assert r.json()["phone"] == "+919812345678" and r.json()["role"] == "viewer"
    assert (await members_by_id(client, team))[str(newcomer.id)] == "viewer"


async def test_platform_admin_may_add_members(
    client: httpx.AsyncClient, team: Team, factory: Factory
) -> None:
    newcomer = await factory.user("newcomer")
    r = await client.post(
        team.url("/members"),
        headers=team.platform_admin.headers,
        json={"email": newcomer.user.email, "role": "admin"},
    )
    assert r.status_code == 201, r.text
    assert (await members_by_id(client, team))[str(newcomer.id)] == "admin"


@pytest.mark.parametrize("who", [*NON_ADMIN_ROLES, "outsider"])
async def test_add_member_forbidden_to_non_admins(
    client: httpx.AsyncClient, team: Team, factory: Factory, who: str
) -> None:
    newcomer = await factory.user("newcomer")
    r = await client.post(
        team.url("/members"),
        headers=team.caller(who).headers,
        json={"email": newcomer.user.email, "role": "viewer"},
    )
    assert_problem(r, 403, "forbidden")
    assert str(newcomer.id) not in await members_by_id(client, team)


async def test_add_member_anonymous_is_401(
    client: httpx.AsyncClient, team: Team, factory: Factory
) -> None:
    newcomer = await factory.user("newcomer")
    r = await client.post(
        team.url("/members"), json={"email": newcomer.user.email, "role": "viewer"}
    )
    assert_problem(r, 401, "unauthenticated")
    assert str(newcomer.id) not in await members_by_id(client, team)


async def test_add_unknown_user_is_404(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.post(
        team.url("/members"),
        headers=team.admin.headers,
        json={"email": "nobody@example.com", "role": "viewer"},
    )
    assert_problem(r, 404, "not_found")
    r = await client.post(
        team.url("/members"),
        headers=team.admin.headers,
        json={"phone": "+919800000001", "role": "viewer"},
    )
    assert_problem(r, 404, "not_found")


async def test_add_member_to_unknown_business_is_404(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.post(
        f"/api/businesses/{uuid.uuid4()}/members",
        headers=team.admin.headers,
        json={"email": team.viewer.user.email, "role": "viewer"},
    )
    assert_problem(r, 404, "not_found")


async def test_add_existing_member_is_409(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.post(
        team.url("/members"),
        headers=team.admin.headers,
        json={"email": team.viewer.user.email, "role": "admin"},
    )
    assert_problem(r, 409, "conflict")
    assert (await members_by_id(client, team))[str(team.viewer.id)] == "viewer"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"email": "x@example.com", "phone": "+919812345678", "role": "viewer"}, ["body"]),
        ({"role": "viewer"}, ["body"]),
        ({"email": "x@example.com", "role": "owner"}, ["body", "role"]),
        ({"email": "x@example.com"}, ["body", "role"]),
        ({"email": "not-an-email", "role": "viewer"}, ["body", "email"]),
        ({"phone": "+91 12", "role": "viewer"}, ["body", "phone"]),
    ],
)
async def test_add_member_validation(
    client: httpx.AsyncClient, team: Team, body: dict[str, Any], loc: list[str]
) -> None:
    r = await client.post(team.url("/members"), headers=team.admin.headers, json=body)
    assert_field_error(r, loc)


async def test_add_member_with_both_email_and_phone_is_422_even_if_they_exist(
    client: httpx.AsyncClient, team: Team, factory: Factory
) -> None:
    newcomer = await factory.user("newcomer", phone="+919812345679")
    r = await client.post(
        team.url("/members"),
        headers=team.admin.headers,
        json={"email": newcomer.user.email, "phone": "+919812345679", "role": "viewer"},
    )
    body = assert_problem(r, 422, "validation_error")
    assert "exactly one of email or phone" in body["errors"][0]["msg"]
    assert str(newcomer.id) not in await members_by_id(client, team)


# --- members: change role -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "platform_admin"])
async def test_change_role_by_admins(client: httpx.AsyncClient, team: Team, who: str) -> None:
    r = await client.patch(
        team.url(f"/members/{team.viewer.id}"),
        headers=team.caller(who).headers,
        json={"role": "approver"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["user_id"] == str(team.viewer.id) and r.json()["role"] == "approver"
    assert (await members_by_id(client, team))[str(team.viewer.id)] == "approver"


@pytest.mark.parametrize("who", [*NON_ADMIN_ROLES, "outsider"])
async def test_change_role_forbidden_to_non_admins(
    client: httpx.AsyncClient, team: Team, who: str
) -> None:
    # Nobody may promote themselves either.
    for target in (team.viewer, team.caller(who)):
        r = await client.patch(
            team.url(f"/members/{target.id}"),
            headers=team.caller(who).headers,
            json={"role": "admin"},
        )
        assert_problem(r, 403, "forbidden")
    roles = await members_by_id(client, team)
    assert roles[str(team.viewer.id)] == "viewer"
    assert list(roles.values()).count("admin") == 1


async def test_change_role_anonymous_is_401(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(team.url(f"/members/{team.viewer.id}"), json={"role": "admin"})
    assert_problem(r, 401, "unauthenticated")


async def test_change_role_of_non_member_is_404(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(
        team.url(f"/members/{team.outsider.id}"),
        headers=team.admin.headers,
        json={"role": "viewer"},
    )
    assert_problem(r, 404, "not_found")
    assert str(team.outsider.id) not in await members_by_id(client, team)


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/members/{viewer}", {"role": "owner"}, ["body", "role"]),
        ("/members/{viewer}", {}, ["body", "role"]),
    ],
)
async def test_change_role_validation(
    client: httpx.AsyncClient, team: Team, path: str, body: dict[str, Any], loc: list[str]
) -> None:
    url = team.url(path.format(viewer=team.viewer.id))
    r = await client.patch(url, headers=team.admin.headers, json=body)
    assert_field_error(r, loc)


@pytest.mark.parametrize("who", ["admin", "platform_admin"])
@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
async def test_last_admin_cannot_be_demoted(
    client: httpx.AsyncClient, team: Team, who: str, role: str
) -> None:
    r = await client.patch(
        team.url(f"/members/{team.admin.id}"), headers=team.caller(who).headers, json={"role": role}
    )
    assert_problem(r, 409, "last_admin")
    assert (await members_by_id(client, team))[str(team.admin.id)] == "admin"


async def test_admin_may_keep_admin_role(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(
        team.url(f"/members/{team.admin.id}"), headers=team.admin.headers, json={"role": "admin"}
    )
    assert r.status_code == 200 and r.json()["role"] == "admin"


async def test_with_two_admins_one_can_be_demoted(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.patch(
        team.url(f"/members/{team.editor.id}"), headers=team.admin.headers, json={"role": "admin"}
    )
    assert r.status_code == 200 and r.json()["role"] == "admin"
    # The new admin demotes the first one...
    r = await client.patch(
        team.url(f"/members/{team.admin.id}"), headers=team.editor.headers, json={"role": "viewer"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "viewer"
    # ...who lost the right to manage members...
    r = await client.patch(
        team.url(f"/members/{team.editor.id}"), headers=team.admin.headers, json={"role": "viewer"}
    )
    assert_problem(r, 403, "forbidden")
    # ...and the remaining admin is now the last one.
    r = await client.patch(
        team.url(f"/members/{team.editor.id}"), headers=team.editor.headers, json={"role": "viewer"}
    )
    assert_problem(r, 409, "last_admin")
    roles = await client.get(team.url("/members"), headers=team.editor.headers)
    assert {m["user_id"]: m["role"] for m in roles.json()}[str(team.editor.id)] == "admin"


# --- members: remove ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "platform_admin"])
async def test_admins_remove_members(client: httpx.AsyncClient, team: Team, who: str) -> None:
    r = await client.delete(
        team.url(f"/members/{team.approver.id}"), headers=team.caller(who).headers
    )
    assert r.status_code == 204 and r.content == b""
    assert str(team.approver.id) not in await members_by_id(client, team)
    # The removed member lost access.
    r = await client.get(team.url("/members"), headers=team.approver.headers)
    assert_problem(r, 403, "forbidden")


@pytest.mark.parametrize("who", NON_ADMIN_ROLES)
async def test_member_may_leave(client: httpx.AsyncClient, team: Team, who: str) -> None:
    leaver = team.caller(who)
    r = await client.delete(team.url(f"/members/{leaver.id}"), headers=leaver.headers)
    assert r.status_code == 204
    assert str(leaver.id) not in await members_by_id(client, team)
    mine = await client.get("/api/businesses/mine", headers=leaver.headers)
    assert mine.json() == []


@pytest.mark.parametrize("who", [*NON_ADMIN_ROLES, "outsider"])
async def test_non_admins_cannot_remove_others(
    client: httpx.AsyncClient, team: Team, who: str
) -> None:
    targets = [team.admin, team.viewer if who != "viewer" else team.editor]
    for target in targets:
        r = await client.delete(team.url(f"/members/{target.id}"), headers=team.caller(who).headers)
        assert_problem(r, 403, "forbidden")
    roles = await members_by_id(client, team)
    assert all(str(t.id) in roles for t in targets)


async def test_remove_member_anonymous_is_401(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.delete(team.url(f"/members/{team.viewer.id}"))
    assert_problem(r, 401, "unauthenticated")
    assert str(team.viewer.id) in await members_by_id(client, team)


async def test_remove_non_member_is_404(client: httpx.AsyncClient, team: Team) -> None:
    r = await client.delete(team.url(f"/members/{team.outsider.id}"), headers=team.admin.headers)
    assert_problem(r, 404, "not_found")
    # Leaving a business you are not in is also 404, not a silent success.
    r = await client.delete(team.url(f"/members/{team.outsider.id}"), headers=team.outsider.headers)
    assert_problem(r, 404, "not_found")


async def test_remove_member_validation_and_unknown_business(
    client: httpx.AsyncClient, team: Team
) -> None:
    r = await client.delete(team.url("/members/not-a-uuid"), headers=team.admin.headers)
    assert_problem(r, 404, "not_found")
    r = await client.delete(
        f"/api/businesses/{uuid.uuid4()}/members/{team.viewer.id}", headers=team.admin.headers
    )
    assert_problem(r, 404, "not_found")


@pytest.mark.parametrize("who", ["admin", "platform_admin"])
async def test_last_admin_cannot_be_removed(
    client: httpx.AsyncClient, team: Team, who: str
) -> None:
    r = await client.delete(team.url(f"/members/{team.admin.id}"), headers=team.caller(who).headers)
    assert_problem(r, 409, "last_admin")
    assert (await members_by_id(client, team))[str(team.admin.id)] == "admin"


async def test_with_two_admins_one_may_leave_or_be_removed(
    client: httpx.AsyncClient, team: Team, factory: Factory
) -> None:
    second = await factory.member(team.business, BusinessRole.ADMIN, name="second")
    third = await factory.member(team.business, BusinessRole.ADMIN, name="third")
    r = await client.delete(team.url(f"/members/{third.id}"), headers=second.headers)
    assert r.status_code == 204
    r = await client.delete(team.url(f"/members/{second.id}"), headers=second.headers)
    assert r.status_code == 204
    r = await client.delete(team.url(f"/members/{team.admin.id}"), headers=team.admin.headers)
    assert_problem(r, 409, "last_admin")
    roles = await members_by_id(client, team)
    assert str(second.id) not in roles and str(third.id) not in roles
    assert roles[str(team.admin.id)] == "admin"


# --- clusters -----------------------------------------------------------------------------


async def test_clusters_empty(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/clusters")
    assert r.status_code == 200 and r.json() == []


async def test_clusters_list_fields_sorted_by_name(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    channapatna = await add_cluster(factory)
    await add_cluster(
        factory,
        "Bidar",
        state="Karnataka",
        craft="Bidriware",
        gi_tag=False,
        materials="zinc, copper, silver",
        latitude=17.91,
        longitude=77.52,
    )
    r = await client.get("/api/clusters")
    assert r.status_code == 200
    body = r.json()
    assert [c["name"] for c in body] == ["Bidar", "Channapatna"]
    assert body[1] == {
        "id": str(channapatna.id),
        "name": "Channapatna",
        "slug": "channapatna",
        "town": "Channapatna",
        "state": "Karnataka",
        "country": "IN",
        "craft": "Lacquered wooden toys",
        "category": "Handicraft",
        "materials": "ivory wood, lac",
        "gi_tag": True,
        "latitude": 12.65,
        "longitude": 77.21,
    }
    assert body[0]["gi_tag"] is False and body[0]["craft"] == "Bidriware"


async def test_portal_access_and_helpers(factory: Factory) -> None:
    import uuid as _uuid

    from haat.businesses import service as svc
    from haat.businesses.models import BusinessRole
    from haat.core.errors import NotFound, Unauthenticated
    from haat.identity.actor import Actor
    from haat.identity.models import PlatformRole

    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Swati")
    viewer = await factory.member(shop, BusinessRole.VIEWER)
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    stranger = await factory.user("stranger")
    async with factory.session() as s:
        assert (await svc.portal_access(s, viewer.actor, shop.id))[1] == BusinessRole.VIEWER
        assert (await svc.portal_access(s, staff.actor, shop.id))[1] is None
        with pytest.raises(NotFound):
            await svc.portal_access(s, stranger.actor, shop.id)
        with pytest.raises(Unauthenticated):
            await svc.portal_access(s, Actor.anonymous(), shop.id)
        assert await svc.business_names(s, [shop.id]) == {shop.id: "Swati"}
        assert await svc.business_names(s, []) == {}
        with pytest.raises(NotFound):
            await svc.get_cluster(s, _uuid.uuid4())
