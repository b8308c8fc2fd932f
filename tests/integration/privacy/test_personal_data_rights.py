"""PIPL 45/47: a customer's data can be exported (masked in chat) and erased; ledgers and orders stay,
the ciphertext of what was erased is gone from the database."""

from __future__ import annotations

from sqlalchemy import text

from commerce.customers import services as customers
from commerce.db import Database
from commerce.distribution import payouts, recruitment
from commerce.distribution.policy import DistributionPolicy
from commerce.distribution.recruitment import Application
from commerce.orders import services as orders
from commerce.privacy import services as privacy
from commerce.privacy.services import REDACTED
from tests.integration.logistics.parcels import delivered_order, paid_order

PERSONAL_COLUMNS = {
    "customers": ("phone", "real_name"), "addresses": ("receiver_name", "phone", "detail"),
    "orders": ("receiver_name", "receiver_phone", "receiver_address"), "distributors": ("real_name", "phone"),
    "distributor_bank_accounts": ("holder_name", "card_no", "bank_name"),
}


def _ciphertexts(db: Database) -> set[str]:
    found: set[str] = set()
    with db.engine.connect() as conn:
        for table, columns in PERSONAL_COLUMNS.items():
            for row in conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}")):
                found |= {v for v in row if v}
    return found


def _distributor_with_bank_account(db: Database, openid: str) -> None:
    with db.uow() as uow:
        recruitment.apply(uow, openid, DistributionPolicy(), Application("张三丰", "13800138000", consent=True))
        payouts.save_bank_account(uow, openid, holder_name="张三丰", card_no="6222020000001234", bank_name="工商银行",
                                  consent=True)
        uow.commit()


class TestExport:
    def test_the_export_holds_everything_and_the_chat_version_is_masked(self, db: Database) -> None:
        order_no = delivered_order(db)
        _distributor_with_bank_account(db, "o-buyer")
        with db.uow() as uow:
            full = privacy.export_personal_data(uow, "o-buyer")
            masked = privacy.export_personal_data(uow, "o-buyer", masked=True)
        assert full["addresses"][0]["phone"] == "13800138000" and full["orders"][0]["order_no"] == order_no
        assert full["distributor"]["bank_accounts"][0]["card_no"] == "6222020000001234"
        assert masked["addresses"][0]["phone"] == "138****8000" and masked["orders"][0]["receiver_name"] == "张**"
        assert masked["distributor"]["bank_accounts"][0]["card_no"] == "**** 1234"
        assert "科技园路1号" not in str(masked) and "13800138000" not in str(masked)

    def test_an_unknown_openid_exports_nothing_and_creates_nothing(self, db: Database) -> None:
        with db.uow() as uow:
            assert privacy.export_personal_data(uow, "o-stranger") == {"openid": "o-stranger", "known": False}
            assert privacy.erase_personal_data(uow, "o-stranger").known is False
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM customers")).scalar_one() == 0


class TestErase:
    def test_erasure_removes_the_ciphertext_and_keeps_orders_with_a_redaction_marker(self, db: Database) -> None:
        order_no = delivered_order(db)
        _distributor_with_bank_account(db, "o-buyer")
        before = _ciphertexts(db)
        with db.uow() as uow:
            report = privacy.erase_personal_data(uow, "o-buyer")
            uow.commit()
        assert report.addresses_deleted == 1 and report.orders_redacted == 1 and report.distributor_cleared
        assert before and not (before & _ciphertexts(db))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM addresses")).scalar_one() == 0
            assert conn.execute(text("SELECT phone FROM distributors")).scalar_one() is None
        with db.uow() as uow:
            order = orders.get_order(uow, order_no)
            customer = customers.by_openid(uow, "o-buyer")
            exported = privacy.export_personal_data(uow, "o-buyer")
            assert customer.anonymised_at is not None and customer.phone is None
            assert customer.consent_personal_data_at is not None  # erasing is not withdrawing consent
        assert order.paid_fen > 0 and order.status == "delivered"
        assert exported["orders"][0]["receiver_phone"] == REDACTED
        assert exported["distributor"]["bank_accounts"][0]["card_no"] == REDACTED

    def test_erasing_twice_changes_nothing_more(self, db: Database) -> None:
        delivered_order(db)
        with db.uow() as uow:
            privacy.erase_personal_data(uow, "o-buyer")
            uow.commit()
        after_first = _ciphertexts(db)
        with db.uow() as uow:
            again = privacy.erase_personal_data(uow, "o-buyer")
            uow.commit()
        assert (again.addresses_deleted, again.orders_redacted) == (0, 0)
        assert _ciphertexts(db) == after_first

    def test_an_order_in_progress_keeps_its_receiver_until_it_is_finished(self, db: Database) -> None:
        order_no = paid_order(db)
        with db.uow() as uow:
            report = privacy.erase_personal_data(uow, "o-buyer")
            uow.commit()
        assert report.orders_kept == (order_no,) and report.orders_redacted == 0
        with db.uow() as uow:
            orders.ship_order(uow, order_no, carrier="yuantong", tracking_no="YT1", actor="merchant")
            orders.mark_delivered(uow, order_no)
            uow.commit()
        with db.uow() as uow:
            assert privacy.finish_pending_erasures(uow) == 1
            uow.commit()
        with db.uow() as uow:
            assert privacy.export_personal_data(uow, "o-buyer")["orders"][0]["receiver_address"] == REDACTED

    def test_withdrawing_consent_erases_and_clears_the_consent(self, db: Database) -> None:
        delivered_order(db)
        with db.uow() as uow:
            privacy.erase_personal_data(uow, "o-buyer", withdraw_consent=True)
            uow.commit()
        with db.uow() as uow:
            assert customers.by_openid(uow, "o-buyer").consent_personal_data_at is None
