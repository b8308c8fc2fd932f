from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from siyu.adapters.wechatpay import WechatPayGateway
from siyu.settings import PaySettings, Settings


def _pem_pair(tmp_path: Path) -> tuple[Path, Path, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = tmp_path / "apiclient_key.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = tmp_path / "pub_key.pem"
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public, key


def test_real_gateway_is_built_from_settings_without_network(tmp_path: Path) -> None:
    private, public, key = _pem_pair(tmp_path)
    settings = Settings(data_dir=tmp_path, public_base_url="https://shop.example.com", pay=PaySettings(
        adapter="wechatpay", merchant_serial_no="SERIAL123", merchant_private_key_file=str(private),
        platform_public_key_file=str(public), platform_public_key_id="PUB_KEY_ID_0001"))
    gw = WechatPayGateway.from_settings(settings)
    assert gw.notify_url == "https://shop.example.com/pay/notify"
    assert gw.refund_notify_url == "https://shop.example.com/pay/refund-notify"
    params = gw.jsapi_params("wx123")
    assert params["package"] == "prepay_id=wx123" and params["signType"] == "RSA"
    message = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n".encode()
    key.public_key().verify(base64.b64decode(params["paySign"]), message, padding.PKCS1v15(), hashes.SHA256())


def test_real_gateway_names_the_missing_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, pay=PaySettings(adapter="wechatpay"))
    with pytest.raises(ValueError, match="merchant_serial_no"):
        WechatPayGateway.from_settings(settings)
