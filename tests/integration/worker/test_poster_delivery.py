from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.wechat_api import QuotaExceeded, TransientAPIError
from tests.integration.worker.fakes import FakeRuntime, WechatBusy
from worker.app import create_celery
from worker.delivery import MEDIA_TTL, media_key
from worker.runtime import RuntimeNotInstalled, clear_runtime, set_runtime
from worker.tasks.posters import deliver_poster


@pytest.fixture
def rt() -> Iterator[FakeRuntime]:
    create_celery("", eager=True)
    runtime = FakeRuntime()
    set_runtime(runtime)
    yield runtime
    clear_runtime()


def _deliver(request_id: str = "req-1", ref_id: str = "42") -> object:
    return deliver_poster.apply(args=("o-user", "product", ref_id, request_id))


class TestDeliverPoster:
    def test_uploads_the_poster_then_sends_the_image_and_then_the_copy(self, rt):
        assert _deliver().successful()
        assert rt.wechat_api.sent == [("image", "o-user", "media-1"), ("text", "o-user", "好物推荐 42")]
        assert [u[2] for u in rt.wechat_api.uploads] == ["product-42.jpg"]

    def test_a_duplicate_task_delivery_sends_one_image(self, rt):
        _deliver("req-1")
        _deliver("req-1")
        assert [m[0] for m in rt.wechat_api.sent] == ["image", "text"]

    def test_a_repeat_request_reuses_the_uploaded_media_for_its_three_day_life(self, rt):
        _deliver("req-1")
        _deliver("req-2")
        assert len(rt.wechat_api.uploads) == 1
        assert [m[2] for m in rt.wechat_api.sent if m[0] == "image"] == ["media-1", "media-1"]
        assert rt.kv.ttls[media_key("product-42")] == MEDIA_TTL <= 3 * 24 * 3600

    def test_a_transient_wechat_error_is_retried_and_the_image_is_sent_once(self, rt):
        rt.wechat_api.fail_next = [WechatBusy("system busy"), WechatBusy("system busy")]
        assert _deliver().successful()
        assert [m[0] for m in rt.wechat_api.sent] == ["image", "text"]

    def test_a_permanent_error_is_not_retried(self, rt):
        rt.wechat_api.fail_next = [ValueError("45047 out of response count limit")]
        result = _deliver()
        assert result.failed()
        assert rt.wechat_api.sent == []
        assert rt.wechat_api.fail_next == []  # tried exactly once

    def test_a_transient_error_from_the_wechat_client_is_retried(self, rt):
        rt.wechat_api.fail_next = [TransientAPIError(-1, "system busy")]
        assert _deliver().successful()
        assert [m[0] for m in rt.wechat_api.sent] == ["image", "text"]

    def test_an_exhausted_message_quota_drops_the_delivery_with_a_log_line_instead_of_failing(self, rt, caplog):
        rt.wechat_api.fail_next = [QuotaExceeded(45047, "out of response count limit")]
        result = _deliver()
        assert result.successful() and result.result == {"image": False, "copy": False}
        assert rt.wechat_api.sent == [] and "not deliverable" in caplog.text

    def test_after_a_failed_image_send_a_new_delivery_can_still_send_it(self, rt):
        rt.wechat_api.fail_next = [ValueError("boom")]
        _deliver("req-1")
        _deliver("req-1")
        assert [m[0] for m in rt.wechat_api.sent] == ["image", "text"]

    def test_without_an_installed_runtime_the_task_fails_with_a_clear_error(self):
        create_celery("", eager=True)
        clear_runtime()
        result = _deliver()
        assert result.failed() and isinstance(result.result, RuntimeNotInstalled)
