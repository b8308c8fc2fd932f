"""Category paths (`食品/水果`): syntax rules and creating the tree on demand."""

from __future__ import annotations

from sqlalchemy import select

from commerce.catalog.errors import InvalidCategoryPath
from commerce.catalog.model import Category
from commerce.db import UnitOfWork

SEPARATOR = "/"
MAX_DEPTH = 5
MAX_NAME = 64


def clean_path(raw: str) -> str:
    """Canonical form of a category path; raises InvalidCategoryPath on bad syntax.

    `食品 / 水果` → `食品/水果`; empty segments (`食品//水果`), a leading or trailing `/`,
    more than 5 levels or a level longer than 64 characters are refused.
    """
    text = raw.strip().replace("／", SEPARATOR).replace("\\", SEPARATOR)
    if not text:
        raise InvalidCategoryPath(raw, "empty path / 分类为空")
    if text.startswith(SEPARATOR) or text.endswith(SEPARATOR):
        raise InvalidCategoryPath(raw, "leading or trailing '/' / 分类路径不能以 / 开头或结尾")
    parts = [p.strip() for p in text.split(SEPARATOR)]
    if any(not p for p in parts):
        raise InvalidCategoryPath(raw, "empty level (e.g. '//') / 分类路径有空层级")
    if len(parts) > MAX_DEPTH:
        raise InvalidCategoryPath(raw, f"more than {MAX_DEPTH} levels / 分类层级超过 {MAX_DEPTH} 级")
    if any(len(p) > MAX_NAME for p in parts):
        raise InvalidCategoryPath(raw, f"a level is longer than {MAX_NAME} characters / 分类名过长")
    return SEPARATOR.join(parts)


def ensure_category(uow: UnitOfWork, raw_path: str) -> Category:
    """The category at `raw_path`, creating it and any missing ancestors."""
    path = clean_path(raw_path)
    parts = path.split(SEPARATOR)
    prefixes = [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]
    existing = {c.path: c for c in uow.session.scalars(select(Category).where(Category.path.in_(prefixes)))}
    parent: Category | None = None
    for name, prefix in zip(parts, prefixes, strict=True):
        node = existing.get(prefix)
        if node is None:
            node = Category(name=name, path=prefix, parent_id=parent.id if parent else None)
            uow.session.add(node)
            uow.session.flush()
        parent = node
    assert parent is not None
    return parent
