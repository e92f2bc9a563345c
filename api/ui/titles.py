"""How a post is titled in its township: one small function, so the page names a 街道's head 办事处主任, a
镇's 镇长 and a 乡's 乡长. Chinese titles come from the library's one title table
(planner.i18n.titles); English titles come from the workspace's messages (``ui.role.*`` and ``ui.role_kind.*``)."""

from __future__ import annotations

from planner.i18n import MESSAGES
from planner.i18n import post_title as title_zh


def role_title(role: str, kind: str, lang: str = "zh") -> str:
    """The title of `role` in a township of `kind` (town, township, subdistrict, ethnic_township)."""
    if lang == "en":
        special = MESSAGES.get(f"ui.role_kind.{kind}.{role}")
        return (special or MESSAGES.get(f"ui.role.{role}", (role, role)))[1]
    return title_zh(kind, role)


def post_title(inst, post: str, lang: str = "zh") -> str:
    """`post`'s title in its township (without the township's name)."""
    p = inst.posts[post]
    return role_title(p.role, inst.townships[p.township].kind, lang)


def post_name(inst, post: str | None, lang: str = "zh") -> str:
    """The township's name and the post's title: 东坝街道党工委书记 / Dongba: Party Working Committee Secretary."""
    if post is None:
        return ""
    t = inst.townships[inst.posts[post].township]
    return f"{t.name}{post_title(inst, post, lang)}" if lang == "zh" else f"{t.name} {post_title(inst, post, lang)}"
