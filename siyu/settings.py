"""Settings: `config.yml` defaults + `SIYU_` environment overrides (nesting with `__`).

Loaded once by the composition root (`load_settings()`); nothing else reads the
environment.  Invalid values stop start-up with a one-line Chinese+English
message naming the key (`SettingsError`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config.yml"


class SettingsError(SystemExit):
    """Start-up refused: one line, Chinese + English, naming the key."""


class DatabaseSettings(BaseModel):
    url: str = ""  # empty = SQLite file under data_dir (demo)
    echo: bool = False
    pool_size: int = Field(10, ge=1)


class RedisSettings(BaseModel):
    url: str = ""  # empty = in-process cache and dedup (demo only)
    prefix: str = "siyu:"  # of every key: shops sharing one Redis each need their own


class CelerySettings(BaseModel):
    broker_url: str = ""  # empty = eager (tasks run inline)
    eager: bool | None = None  # None = eager when broker_url is empty
    beat_schedule: dict[str, dict[str, Any]] = Field(default_factory=dict)
    queue: str = Field("siyu", min_length=1)  # the queue workers consume and the app publishes to


class WechatSettings(BaseModel):
    app_id: str = "wx_siyu_demo_appid"
    app_secret: str = "demo-secret"
    token: str = "siyu-demo-token"
    encoding_aes_key: str = ""  # 43 chars; empty = plaintext mode only
    original_id: str = "gh_siyu_demo"
    api_base: str = "https://api.weixin.qq.com"
    oauth_base: str = "https://open.weixin.qq.com"  # web authorisation (网页授权) for ?ref= links
    timestamp_tolerance_seconds: int = Field(300, ge=1)
    reply_deadline_seconds: float = Field(4.0, gt=0, le=4.8)
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    dedup_ttl_seconds: int = Field(60, ge=10)
    cooperative_dialogue: bool = True  # on PostgreSQL: the dialogue runs on the event loop (see config.yml)
    menu: dict[str, Any] = Field(default_factory=dict)
    templates: dict[str, str] = Field(default_factory=dict)  # purpose → template_id (CS fallback)

    @field_validator("encoding_aes_key")
    @classmethod
    def _aes_key_len(cls, v: str) -> str:
        if v and len(v) != 43:
            raise ValueError("EncodingAESKey must be 43 characters / 必须是 43 个字符")
        return v


class TransferReportInfo(BaseModel):
    info_type: str = Field(min_length=1)
    info_content: str = Field(min_length=1, max_length=32)


class TransferSettings(BaseModel):
    """Merchant transfer (商家转账, transfer-bills) of distributor payouts to WeChat change."""

    scene_id: str = "1005"  # 佣金报酬
    user_recv_perception: str = "劳务报酬"
    scene_report_infos: list[TransferReportInfo] = Field(default_factory=lambda: [
        TransferReportInfo(info_type="岗位类型", info_content="推广员"),
        TransferReportInfo(info_type="报酬说明", info_content="商品推广佣金"),
    ])
    reconcile_after_minutes: int = Field(30, ge=1)  # processing this long without a callback → query WeChat


class PaySettings(BaseModel):
    adapter: Literal["sandbox", "wechatpay"] = "sandbox"
    api_base: str = "https://api.mch.weixin.qq.com"  # adapter=wechatpay only
    mchid: str = "1900000001"
    apiv3_key: str = "siyu-sandbox-apiv3-key-32-bytes!"  # 32 ASCII bytes
    merchant_serial_no: str = ""
    merchant_private_key_file: str = ""
    platform_public_key_file: str = ""
    platform_public_key_id: str = ""
    notify_url: str = ""  # empty = {public_base_url}/pay/notify
    timestamp_tolerance_seconds: int = Field(300, ge=1)
    transfer: TransferSettings = Field(default_factory=TransferSettings)

    @field_validator("apiv3_key")
    @classmethod
    def _key_len(cls, v: str) -> str:
        if len(v.encode()) != 32:
            raise ValueError("APIv3 key must be 32 bytes / APIv3 密钥必须是 32 字节")
        return v


class OrderSettings(BaseModel):
    payment_timeout_minutes: int = Field(30, ge=1)
    after_sale_days: int = Field(7, ge=0)
    reserve_stock_at: Literal["order"] = "order"  # stock is reserved when the order is created
    low_stock_threshold: int = Field(5, ge=0)


class SandboxSettings(BaseModel):
    enabled: bool = True
    retry_after_seconds: float = 5.0
    cs_quota_per_48h: int = 5
    token_ttl_seconds: int = 7200


class NluSettings(BaseModel):
    backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 0.8
    model_path: str = ""  # empty = {data_dir}/nlu/model.pkl, trained on first use
    confidence_threshold: float = Field(0.45, ge=0, le=1)


class PrivacySettings(BaseModel):
    # "kid:base64key,kid2:base64key"; the first is used for new writes. Env only.
    keys: str = ""
    key_file: str = ""  # demo: generated under data_dir on first run


class DistributionLevel(BaseModel):
    rate_bp: int = Field(ge=0, le=10000)


class CommissionOverride(BaseModel):
    """One target (sku_id | product_id | category path prefix); levels_bp or fixed_fen (per unit)."""

    sku_id: int | None = None
    product_id: int | None = None
    category: str = ""
    levels_bp: list[int] = Field(default_factory=list)
    fixed_fen: list[int] = Field(default_factory=list)


class DistributorGrade(BaseModel):
    """初级/高级…: reached by the distributor's own sales (never by recruiting)."""

    name: str
    label: str
    min_own_sales_fen: int = Field(0, ge=0)
    levels_bp: list[int]


class TeamRewardTier(BaseModel):
    min_team_sales_fen: int = Field(ge=0)
    rate_bp: int = Field(ge=0, le=10000)


class TrainingQuizQuestion(BaseModel):
    question: str
    options: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)


class TrainingLesson(BaseModel):
    key: str
    title: str
    text: str
    link: str = ""
    basic: bool = True
    quiz: list[TrainingQuizQuestion] = Field(default_factory=list, max_length=3)


class DistributionSettings(BaseModel):
    enabled: bool = True
    mode: Literal["open", "review", "invite"] = "open"
    auto_approve: bool = True
    levels: list[DistributionLevel] = Field(
        default_factory=lambda: [DistributionLevel(rate_bp=1000), DistributionLevel(rate_bp=500)]
    )
    acknowledge_third_level: bool = False
    binding: Literal["first_touch", "last_touch"] = "first_touch"
    binding_days: int = Field(0, ge=0)  # 0 = permanent
    self_purchase_commission: bool = False
    freeze_days: int = Field(7, ge=0)
    withdraw_min_fen: int = Field(100, ge=1)
    withdraw_daily_cap_fen: int = Field(500_000, ge=1)
    withdraw_fee_bp: int = Field(0, ge=0, le=10000)
    auto_approve_payout_below_fen: int = Field(20_000, ge=0)
    commission_on_seckill: bool = False
    commission_on_points: bool = False
    suspended_frozen: Literal["keep", "hold", "forfeit"] = "hold"
    overrides: list[CommissionOverride] = Field(default_factory=list)
    grades: list[DistributorGrade] = Field(default_factory=list)
    team_rewards_enabled: bool = False
    team_reward_tiers: list[TeamRewardTier] = Field(default_factory=list)
    lessons: list[TrainingLesson] = Field(default_factory=list)
    require_training_before_payout: bool = False
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _compliance(self) -> DistributionSettings:
        n = len(self.levels)
        if n < 1:
            raise ValueError("distribution.levels: at least 1 level / 至少一级")
        if n > 3:
            raise ValueError("distribution.levels: more than 3 levels is never allowed / 分销层级不得超过 3 级")
        if n == 3 and not self.acknowledge_third_level:
            raise ValueError(
                "distribution.levels: a 3rd level needs distribution.acknowledge_third_level=true "
                "/ 第三级佣金须商户明确确认合规风险"
            )
        if sum(lv.rate_bp for lv in self.levels) > 10000:
            raise ValueError("distribution.levels: rates sum over 100% / 各级佣金比例之和超过 100%")
        return self  # an acknowledged 3rd level is logged once at start-up (siyu.distribution)


class PosterSettings(BaseModel):
    font_file: str = ""  # empty = the shipped subset font
    fallback_font_file: str = ""
    width: int = 750
    height: int = 1334
    jpeg_quality: int = Field(85, ge=30, le=95)


class CourierSettings(BaseModel):
    """Parcel tracking (Kuaidi100 wire format).  sandbox = the imitation under /sandbox/courier."""

    adapter: Literal["sandbox", "kuaidi100"] = "sandbox"
    base_url: str = "https://poll.kuaidi100.com"  # the real API; the sandbox uses {public_base_url}/sandbox/courier
    customer: str = "SIYUSANDBOXCUSTOMER"  # Kuaidi100 account id
    key: str = "siyu-sandbox-kuaidi100-key"  # authorisation key: env SIYU_COURIER__KEY in production
    salt: str = "siyu-sandbox-courier-salt"  # signs pushes to /courier/notify
    callback_url: str = ""  # empty = {public_base_url}/courier/notify
    sandbox_step_seconds: float = Field(6 * 3600, gt=0)  # imitation: time between 揽收/在途/派件/签收


class ShopSettings(BaseModel):
    name: str = "思语优选"
    slogan: str = "好物直达，分享有礼"
    service_phone: str = "400-000-0000"


class MerchantAccount(BaseModel):
    openid: str
    role: Literal["owner", "admin", "operator", "finance", "cs"] = "admin"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIYU_",
        env_nested_delimiter="__",
        extra="ignore",
        yaml_file=str(DEFAULT_CONFIG),
        yaml_file_encoding="utf-8",
    )

    mode: Literal["demo", "production"] = "demo"
    data_dir: Path = Path("./var")
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = False

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    celery: CelerySettings = Field(default_factory=CelerySettings)
    wechat: WechatSettings = Field(default_factory=WechatSettings)
    pay: PaySettings = Field(default_factory=PaySettings)
    orders: OrderSettings = Field(default_factory=OrderSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    distribution: DistributionSettings = Field(default_factory=DistributionSettings)
    posters: PosterSettings = Field(default_factory=PosterSettings)
    shop: ShopSettings = Field(default_factory=ShopSettings)
    courier: CourierSettings = Field(default_factory=CourierSettings)
    merchants: list[MerchantAccount] = Field(default_factory=list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_path = os.environ.get("SIYU_CONFIG", str(DEFAULT_CONFIG))
        yaml = YamlConfigSettingsSource(settings_cls, yaml_file=yaml_path if Path(yaml_path).exists() else None)
        return (init_settings, env_settings, yaml)

    # -- derived values -------------------------------------------------
    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{self.data_dir.resolve() / 'siyu.db'}"

    @property
    def celery_eager(self) -> bool:
        return self.celery.eager if self.celery.eager is not None else not self.celery.broker_url

    @property
    def pay_notify_url(self) -> str:
        return self.pay.notify_url or f"{self.public_base_url.rstrip('/')}/pay/notify"


def _first_error_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "config"
    env = "SIYU_" + "__".join(str(p).upper() for p in err["loc"])
    return f"配置错误 / invalid setting `{key}` ({env}): {err['msg']}"


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once; exit with a one-line message on invalid config."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_first_error_line(exc)) from None
