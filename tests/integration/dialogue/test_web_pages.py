"""The product page news cards link to, and the media route that serves catalog images."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.media import media_routes, safe_media_path
from bot.web.product import product_routes
from commerce.catalog import services as catalog
from commerce.db import Database


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "products").mkdir(parents=True)
    (root / "products" / "orange.jpg").write_bytes(b"\xff\xd8\xff\xe0fakejpeg")
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    (tmp_path / "privacy.key").write_text("key")
    (root / "products" / "escape.jpg").symlink_to(tmp_path / "secret.jpg")
    (root / ".hidden.jpg").write_bytes(b"x")
    (root / "notes.txt").write_text("x")
    return root


@pytest.fixture
def client(shop: Database, media_root: Path) -> TestClient:
    routes = [*product_routes(shop, shop_name="测试小店", public_base_url="https://shop.example.com"),
              *media_routes(media_root)]
    return TestClient(Starlette(routes=routes))


class TestProductPage:
    def test_the_page_shows_price_member_price_specs_and_image(self, client: TestClient, shop: Database) -> None:
        with shop.uow() as uow:
            orange = catalog.search_products(uow, "脐橙", limit=1)[0]
        page = client.get(f"/p/{orange.id}")
        assert page.status_code == 200
        assert "赣南脐橙" in page.text and "¥39.90" in page.text and "¥35.90" in page.text
        assert "10斤装" in page.text and "https://shop.example.com/media/products/orange.jpg" in page.text

    def test_an_unknown_product_is_a_404_page(self, client: TestClient) -> None:
        assert client.get("/p/999999").status_code == 404

    def test_a_non_numeric_id_is_not_routed(self, client: TestClient) -> None:
        assert client.get("/p/abc").status_code == 404


class TestMedia:
    def test_a_catalog_image_is_served_with_its_type(self, client: TestClient) -> None:
        got = client.get("/media/products/orange.jpg")
        assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"

    @pytest.mark.parametrize("path", [
        "../secret.jpg", "products/../../secret.jpg", "%2e%2e/secret.jpg", "..%2fsecret.jpg",
        "products/escape.jpg", ".hidden.jpg", "notes.txt", "../privacy.key", "products", "missing.jpg",
        "products//orange.jpg", "products/orange.jpg%00.png",
    ])
    def test_paths_outside_the_media_root_or_not_media_files_are_404(self, client: TestClient, path: str) -> None:
        assert client.get("/media/" + path).status_code == 404

    def test_safe_media_path_refuses_absolute_and_backslash_paths(self, media_root: Path) -> None:
        assert safe_media_path(media_root, "/etc/passwd") is None
        assert safe_media_path(media_root, "products\\orange.jpg") is None
        assert safe_media_path(media_root, "products/orange.jpg") is not None
