"""Imitation of WeChat Pay's merchant transfer (商家转账, the 2025 `transfer-bills` flow).

`POST {mount}/v3/fund-app/mch-transfer/transfer-bills` creates a bill in
WAIT_USER_CONFIRM with a `package_info`; the user confirms on the sandbox page
`/sandbox/transfer/confirm/{out_bill_no}` (what WeChat's confirmation sheet does),
or declines / simulates a failure.  The result goes to the bill's `notify_url` as
MCHTRANSFER.BILL.FINISHED, signed with the platform RSA key and encrypted with the
APIv3 key exactly like the pay callbacks (`sandbox.pay.wire`), re-sent until
answered 200/204.  Query and cancel by out_bill_no work too.  Imports nothing of ours.
"""

from __future__ import annotations

from sandbox.transfer.api import TransferSandbox

__all__ = ["TransferSandbox"]
