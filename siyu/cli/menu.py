"""`siyu menu check|push` — the custom menu from config (wechat.menu), validated, then pushed."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="自定义菜单 custom menu: validate and push wechat.menu", no_args_is_help=True)


def _validated() -> dict[str, object]:
    from bot.menu import MenuInvalid, validate_menu
    from siyu.settings import load_settings

    try:
        return validate_menu(load_settings().wechat.menu)
    except MenuInvalid as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command()
def check() -> None:
    """Validate the menu against WeChat's limits and print the JSON that would be pushed."""
    typer.echo(json.dumps(_validated(), ensure_ascii=False, indent=2))


@app.command()
def push() -> None:
    """Validate and push the menu (menu/create) to WeChat — or the sandbox when it is enabled."""
    menu = _validated()
    from bot.wechat_api import WeChatAPIError
    from siyu.container import boot

    c = boot()
    try:
        c.wechat_api.create_menu(menu)
    except WeChatAPIError as exc:
        typer.echo(f"菜单推送失败 / menu push failed: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"菜单已推送 / menu pushed: {len(menu['button'])} top buttons")  # type: ignore[arg-type]
