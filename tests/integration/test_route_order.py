"""Every sandbox imitation is reachable through the composed app (no mount swallows another's paths)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from commerce.db import Base
from siyu.app import create_app
from siyu.container import boot
from siyu.settings import load_settings


def test_transfer_bills_and_courier_sandboxes_are_not_hidden_by_the_pay_sandbox(tmp_path: Path) -> None:
    c = boot(load_settings(data_dir=tmp_path, database={"url": f"sqlite:///{tmp_path / 's.db'}"}), logging_on=False)
    Base.metadata.create_all(c.db.engine)
    with TestClient(create_app(c)) as client:
        unsigned = client.post("/sandbox/pay/v3/fund-app/mch-transfer/transfer-bills", json={})
        courier = client.post("/sandbox/courier/poll/query.do", data={"customer": "x", "sign": "y", "param": "{}"})
    assert unsigned.status_code in (400, 401)  # the imitation answered (and refused an unsigned call)
    assert courier.status_code != 404 or "result" in courier.text
