"""People and posts as a person types them: by id, by name, by post title — one resolver for every input.

    cadre:  C0001 · 张飞阳 · 张飞阳(C0001) · 张飞阳（C0001）
    post:   T05-SEC · 上石街道党工委书记 · 上石街道书记 · 瓦坪镇镇长 · 瓦坪镇镇长(T02-HEAD) · 上石街道 党工委书记

Comparison is lenient (full-width → half-width, whitespace ignored, ASCII case ignored). A name two people share
(or a title two posts share: 副镇长) is *ambiguous*: :class:`Unresolved` lists the matches, each written the way
that resolves it (``张伟(C0001)``), and the caller locates the problem in its own document.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from planner.domain.errors import Problem
from planner.i18n import message

_WITH_ID = re.compile(r"^(.*?)[(（]([^()（）]+)[)）]$")


def norm(text: str) -> str:
    """Compare typed texts leniently: full-width → half-width, no whitespace, ASCII lower-cased."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


@dataclass
class Unresolved(Exception):
    """A typed reference that names nobody (``candidates`` empty, ``suggestions`` close names) or several."""

    what: str  # "cadre" | "post"
    token: str
    candidates: list[str]  # how to write each match unambiguously (ambiguous)
    suggestions: list[str]  # close spellings (unknown)
    mismatch: bool = False  # 李四(C0001) where C0001 is someone else: the suggestion is who the id is
    ids: tuple[str, ...] = ()  # the ids of the matches (ambiguous)

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)

    def texts(self) -> tuple[str, str]:
        if self.ambiguous:
            return message(
                "names.ambiguous",
                what=self.what,
                value=self.token,
                matches="、".join(self.candidates),
                n=len(self.candidates),
            )
        if self.mismatch:
            return message("names.mismatch", value=self.token, actual=self.suggestions[0])
        if self.suggestions:
            return message("names.unknown_hint", what=self.what, value=self.token, hint="、".join(self.suggestions))
        return message("names.unknown", what=self.what, value=self.token)

    def problem(self, location: str) -> Problem:
        zh, en = self.texts()
        return Problem(location=location, message_en=en, message_zh=zh)


class Names:
    """The resolver of one county: cadres by id or name, posts by id or title (title by township kind)."""

    def __init__(self, townships: Iterable[Any], posts: Iterable[Any], cadres: Iterable[Any]):
        from planner.i18n.titles import post_title, title_aliases

        self._t = {_get(t, "id"): t for t in townships}
        self._posts = {_get(p, "id"): p for p in posts}
        self._cadres = {_get(c, "id"): c for c in cadres}
        self._holder = {
            _get(c, "current_post"): _get(c, "id") for c in self._cadres.values() if _get(c, "current_post")
        }
        self.post_title: dict[str, str] = {}
        self._post_index: dict[str, list[str]] = {}
        for pid, p in self._posts.items():
            t = self._t.get(_get(p, "township"))
            tname, kind = (_get(t, "name"), _get(t, "kind") or "township") if t is not None else ("", "township")
            self.post_title[pid] = f"{tname}{post_title(kind, _get(p, 'role'))}"
            for title in title_aliases(kind, _get(p, "role")):
                _add(self._post_index, norm(tname + title), pid)
        self._cadre_index: dict[str, list[str]] = {}
        for cid, c in self._cadres.items():
            _add(self._cadre_index, norm(_get(c, "name") or ""), cid)
        self._cadre_ids = {norm(k): k for k in self._cadres}
        self._post_ids = {norm(k): k for k in self._posts}

    @classmethod
    def of(cls, source: Any, extra_cadres: Iterable[Any] = ()) -> "Names":
        """A resolver over an Instance, a Scenario model or a scenario dict (plus cadres a delta adds)."""
        doc = getattr(source, "doc", source)
        get = (lambda k: doc[k]) if isinstance(doc, dict) else (lambda k: getattr(doc, k))
        cadres = list(get("cadres"))
        seen = {_get(c, "id") for c in cadres}
        cadres += [c for c in extra_cadres if _get(c, "id") not in seen]
        return cls(get("townships"), get("posts"), cadres)

    # ------------------------------------------------------------------ how a match is shown
    def cadre_label(self, cid: str) -> str:
        """张伟(C0001)."""
        return f"{_get(self._cadres[cid], 'name')}({cid})"

    def _cadre_hint(self, cid: str) -> str:
        post = _get(self._cadres[cid], "current_post")
        where = self.post_title.get(post) if post else (_get(self._cadres[cid], "current_unit") or "")
        return f"{self.cadre_label(cid)}{'，' + where if where else ''}"

    def _post_hint(self, pid: str) -> str:
        holder = self._holder.get(pid)
        who = f"，现任{_get(self._cadres[holder], 'name')}" if holder else ""
        return f"{self.post_title[pid]}({pid}{who})"

    # ------------------------------------------------------------------ resolving
    def cadre(self, token: Any) -> str:
        """The id of the cadre `token` names; raises :class:`Unresolved`."""
        return self._resolve("cadre", str(token).strip(), self._cadre_ids, self._cadre_index, self._cadre_hint)

    def post(self, token: Any) -> str:
        """The id of the post `token` names; raises :class:`Unresolved`."""
        return self._resolve("post", str(token).strip(), self._post_ids, self._post_index, self._post_hint)

    def _resolve(self, what: str, token: str, ids: dict[str, str], index: dict[str, list[str]], hint) -> str:
        key = norm(token)
        if key in ids:
            return ids[key]
        m = _WITH_ID.match(token)
        if m and norm(m[2]) in ids:
            found = ids[norm(m[2])]
            if what == "post" or not m[1].strip() or found in index.get(norm(m[1]), []):
                return found
            raise Unresolved(what, token, [], [hint(found)], mismatch=True)
        keys = [key] + ([norm(m[1])] if m and m[1].strip() else [])
        for k in keys:
            matches = index.get(k, [])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise Unresolved(what, token, [hint(x) for x in matches], [], ids=tuple(matches))
        close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
        shown = [hint(index[k][0]) if len(index[k]) == 1 else token for k in close]
        raise Unresolved(what, token, [], list(dict.fromkeys(s for s in shown if s != token)))


def _get(record: Any, key: str) -> Any:
    if record is None:
        return None
    if isinstance(record, dict):
        return record.get(key)
    return getattr(record, key, None)


def _add(index: dict[str, list[str]], key: str, value: str) -> None:
    if not key:
        return
    bucket = index.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)


__all__ = ["Names", "Unresolved", "norm"]
