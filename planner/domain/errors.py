"""Located input errors: which document, which record, which field, why — all of them at once."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input document.

    `location` reads like a path: ``cadres[3] C0004 › birth_date`` or ``Cadres sheet row 7 › 出生年月``.
    """

    location: str
    message_en: str
    message_zh: str

    def render(self) -> str:
        return f"{self.location}: {self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass
class InputError(Exception):
    """A document that cannot be used. Carries every problem found, not only the first."""

    document: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:  # pragma: no cover - exercised via render
        return self.render()

    def render(self) -> str:
        head = f"{self.document}: {len(self.problems)} problem(s) / 发现 {len(self.problems)} 处问题"
        return "\n".join([head] + [f"  - {p.render()}" for p in self.problems])

    def as_dict(self) -> dict:
        return {"document": self.document, "problems": [p.as_dict() for p in self.problems]}
