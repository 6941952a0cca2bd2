"""Full-text search over products behind one interface, on SQLite FTS5 or PostgreSQL.

The index objects are created by the first migration.

* SQLite: an external-content FTS5 table ``products_fts`` (porter stemming, diacritics folded)
  kept in step with ``products`` by triggers; ranked with BM25. It maps to products by the
  table's implicit rowid, so a ``VACUUM`` must be followed by an FTS5 'rebuild'
  (docs/operations.md).
* PostgreSQL: a generated ``tsvector`` column ``products.search_vector`` with a GIN index,
  ``english`` configuration; ranked with ``ts_rank_cd``.

Fields are weighted title > search terms (attributes, category, business, cluster) >
description. The SQL (the dialect branch included) is `haat.catalog.repository.search`.
"""

from __future__ import annotations

from typing import Any

# The assistant narrows its own selects of products with the catalogue's full-text
# expression: re-exported here, since the catalogue's repository is private to it.
from haat.catalog.repository.search import apply_groups as apply_groups

# Prefixes of the names the schema-drift check must not expect in the ORM models (FTS5 also
# makes shadow tables such as products_fts_data).
UNMAPPED_OBJECTS = ("products_fts", "search_vector", "ix_products_search_vector")


def search_terms_for(attributes: dict[str, Any] | None, *names: str | None) -> str:
    """The text indexed beside title and description: attribute values (not booleans) and
    related names such as category, business and cluster."""
    values = [str(v) for v in (attributes or {}).values() if not isinstance(v, bool)]
    return " ".join([*values, *(n for n in names if n)])
