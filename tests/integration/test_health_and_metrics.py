from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from commerce.db import Base
from siyu.app import create_app
from siyu.container import boot
from siyu.settings import load_settings


def test_health_checks_db_and_cache_and_metrics_count_requests_by_route(tmp_path: Path) -> None:
    c = boot(load_settings(data_dir=tmp_path, database={"url": f"sqlite:///{tmp_path / 's.db'}"}), logging_on=False)
    Base.metadata.create_all(c.db.engine)
    with TestClient(create_app(c)) as client:
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["db"] == "ok" and health.json()["cache"] == "ok"
        client.get("/pay/SY20260101000001")
        body = client.get("/metrics").text
    assert 'siyu_http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert 'route="/pay"' in body and "SY2026" not in body
