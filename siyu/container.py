"""Wiring: one `Container` per process builds every adapter from the settings, lazily.

Nothing connects at import time.  `boot()` is the single entry point used by the
CLI (`siyu demo|serve|worker|…`) and by tests.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Any

from commerce.db import Database
from commerce.privacy.crypto import KeyRing, KeyRingError, configure_keys
from siyu.logs import configure_logging
from siyu.settings import Settings, SettingsError, load_settings

log = logging.getLogger("siyu")


class Container:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # -- infrastructure --------------------------------------------------
    @cached_property
    def data_dir(self) -> Path:
        path = self.settings.data_dir.resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def db(self) -> Database:
        s = self.settings
        if not s.database.url:
            self.data_dir  # noqa: B018  (ensure the SQLite directory exists)
        return Database.from_url(s.database_url, echo=s.database.echo, pool_size=s.database.pool_size)

    @cached_property
    def kv(self) -> Any:
        from bot.kv import BatchingKV, MemoryKV, RedisKV

        r = self.settings.redis
        return BatchingKV(RedisKV(r.url, prefix=r.prefix) if r.url else MemoryKV())

    @cached_property
    def dialogue(self) -> Any:
        """The chat engine: `c.dialogue.respond(inbound) -> Reply` (sync; the edge runs it on the event loop
        with cooperative waits on PostgreSQL, in a worker thread otherwise)."""
        from siyu.dialogue import build_dialogue

        return build_dialogue(self)

    @cached_property
    def pay_gateway(self) -> Any:
        """`commerce.payments.port.PaymentGateway`: sandbox or real WeChat Pay v3 (settings.pay.adapter)."""
        from siyu.payments import build_gateway

        return build_gateway(self)

    @cached_property
    def wechat_api(self) -> Any:
        """`bot.wechat_api.WeChatAPI` against the real API or, with the sandbox on, `{public_base_url}/sandbox`."""
        from siyu.edge import build_wechat_api

        return build_wechat_api(self)

    @cached_property
    def outbound(self) -> Any:
        """`bot.outbound.Outbound`: CS message → template → queue for the user's next message."""
        from siyu.edge import build_outbound

        return build_outbound(self)

    @cached_property
    def wechat_sandbox(self) -> Any:
        """`sandbox.Sandbox` (WeChat imitation + simulator); `.wechat.mark_paid(openid)` for the pay flow."""
        from siyu.edge import build_wechat_sandbox

        return build_wechat_sandbox(self)

    @cached_property
    def distribution(self) -> Any:
        """`siyu.distribution.DistributionWiring`: policy, payout gateway, referral hook, referral QR."""
        from siyu.distribution import DistributionWiring

        return DistributionWiring(self)

    @property
    def on_referral_scene(self) -> Any:
        """The dialogue's referral hook (subscribe/SCAN with a `d_<code>` scene binds the user)."""
        return self.distribution.on_referral_scene

    # -- share material and the worker (issue 7) ------------------------------
    @cached_property
    def poster_service(self) -> Any:
        """`siyu.posters.PosterService`: posters, promo copy and video for one user (the worker's runtime)."""
        from siyu.posters import build_poster_service

        return build_poster_service(self)

    @cached_property
    def wechat_endpoint(self) -> Any:
        """`bot.edge.WeChatEndpoint`: `/wechat`, its dedup, deadline and send-later path."""
        from siyu.edge import build_wechat_endpoint

        return build_wechat_endpoint(self)

    @cached_property
    def celery_app(self) -> Any:
        """This process's Celery app; installs the container as the worker runtime (`worker.runtime`)."""
        from siyu.jobs import build_celery

        return build_celery(self)

    @cached_property
    def task_dispatcher(self) -> Any:
        """`siyu.task_dispatch.TaskDispatcher`: queue worker tasks after commit, never waiting on them."""
        from siyu.task_dispatch import TaskDispatcher

        return TaskDispatcher(self.celery_app, self.kv, eager=self.settings.celery_eager)

    @cached_property
    def jobs(self) -> dict[str, Any]:
        """Beat jobs by name, for `worker.run_job` (`celery.beat_schedule` in config.yml)."""
        from siyu.jobs import build_jobs

        return build_jobs(self)

    @cached_property
    def share_desk(self) -> Any:
        """`bot.dialogue.sharing.ShareDesk` for the chat (`Ctx.share`): queue posters/videos, promo copy."""
        from siyu.share_desk import build_share_desk

        return build_share_desk(self)

    # -- logistics and after-sale -------------------------------------------
    @cached_property
    def courier(self) -> Any:
        """`commerce.logistics.port.CourierTracker`: Kuaidi100 wire format, real or sandbox (courier.adapter)."""
        from siyu.logistics import build_courier

        return build_courier(self)

    def close(self) -> None:
        if "wechat_endpoint" in self.__dict__:
            self.wechat_endpoint.close()
        if "db" in self.__dict__:
            self.db.dispose()


def _privacy_keys(settings: Settings) -> KeyRing:
    """Production refuses to start without a key; the demo generates a local key file once."""
    if settings.privacy.keys:
        return KeyRing.parse(settings.privacy.keys)
    key_file = Path(settings.privacy.key_file) if settings.privacy.key_file else None
    if key_file is None and settings.mode == "demo":
        key_file = settings.data_dir.resolve() / "keys" / "privacy.key"
    if key_file is None:
        raise SettingsError(
            "配置错误 / invalid setting `privacy.keys` (SIYU_PRIVACY__KEYS): production needs a personal-data "
            "encryption key / 生产模式必须配置个人信息加密密钥"
        )
    if not key_file.exists():
        if settings.mode != "demo":
            raise SettingsError(f"配置错误 / privacy key file not found: {key_file} / 找不到隐私密钥文件")
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(KeyRing.generate_spec("demo1") + "\n")
        key_file.chmod(0o600)
        log.warning("demo mode: generated a local personal-data key at %s (keep it; production uses env)", key_file)
    try:
        return KeyRing.parse(key_file.read_text().strip())
    except KeyRingError as exc:
        raise SettingsError(f"配置错误 / invalid privacy key in {key_file}: {exc}") from None


def boot(settings: Settings | None = None, *, logging_on: bool = True) -> Container:
    """Load settings, configure logging and keys, return the process's container."""
    if settings is None:
        from siyu.demo import with_recorded_base_url

        settings = with_recorded_base_url(load_settings())  # the CLI reaches the running demo's sandbox
    if logging_on:
        configure_logging(settings.log_level, settings.log_json)
    configure_keys(_privacy_keys(settings))
    if settings.mode == "demo":
        from siyu import demo_clock

        demo_clock.load(settings.data_dir)  # `siyu demo-time advance` persists across processes
    from siyu.distribution import register_subscriptions
    from siyu.payments import configure_orders

    configure_orders(settings)  # payment timeout, low-stock threshold, shipping template: every process

    register_subscriptions(settings.distribution)  # commission follows the order events
    from siyu.logistics import register_subscriptions as register_after_sale

    register_after_sale()  # after-sale requests follow refund results
    return Container(settings)
