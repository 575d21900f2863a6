"""Service navigation entries, registered by each app for the roles that use them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # reversed with the partnership slug
    roles: frozenset[str] | None  # None = every member
    order: int = 100


_items: dict[str, NavItem] = {}


def register_nav(item: NavItem) -> None:
    _items[item.url_name] = item


def nav_for(roles: frozenset[str]) -> list[NavItem]:
    return sorted(
        (i for i in _items.values() if i.roles is None or roles & i.roles),
        key=lambda i: (i.order, i.label),
    )
