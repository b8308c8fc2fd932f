"""`POST /courier/notify`: Kuaidi100's subscription push.

The tracker verifies the form (`param` + `sign` = MD5(param + salt)): a bad
signature answers 401, a malformed form 400, before any database access.  A
verified push is applied idempotently (`logistics.apply_tracking`): a replay or an
older report changes nothing; a 签收 marks the order delivered.  Success answers
`{"result": true, "returnCode": "200", "message": "成功"}` — anything else makes
Kuaidi100 push again.  A parcel we do not know is acknowledged too (logged), so
the courier stops pushing it.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from commerce.db import Database
from commerce.logistics import services as logistics
from commerce.logistics.port import CourierPush, CourierTracker, PushRejected

log = logging.getLogger("bot.web.courier")

MAX_BODY = 256 * 1024
ACK = {"result": True, "returnCode": "200", "message": "成功"}


def _refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"result": False, "returnCode": str(status), "message": message}, status_code=status)


def _apply(db: Database, push: CourierPush) -> int:
    with db.uow() as uow:
        changed = logistics.apply_tracking(uow, push.carrier, push.tracking_no, push.tracking)
        uow.commit()
    return changed


def courier_routes(db: Database, tracker: CourierTracker) -> list[BaseRoute]:
    async def notify(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return _refuse(413, "body too large")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        try:
            push = tracker.parse_push(form)
        except PushRejected as exc:
            log.warning("courier push rejected: %s", exc.reason)
            return _refuse(exc.status, exc.reason)
        changed = await run_in_threadpool(_apply, db, push)
        log.info("courier push %s %s (%s): %d shipment(s) updated", push.carrier, push.tracking_no,
                 push.tracking.state, changed)
        return JSONResponse(ACK)

    return [Route("/courier/notify", notify, methods=["POST"])]
