"""Two runs compared firm by firm (版本比较): a run and its new version, two schemes on the same year's
data ("what if we adopt the new method"), or this year against last year."""

from __future__ import annotations

from dataclasses import dataclass, field

from jiju.assessment.models import EvaluationResult, EvaluationRun, Objection
from jiju.assessment.objections import reason_of
from jiju.platform.permissions import VIEW

CLOSE = 1e-9  # indicator values closer than this are the same figure


@dataclass
class Line:
    """One firm in both runs (or in one of them): its place in each, the indicators that moved, and why."""

    enterprise: object
    before: EvaluationResult | None
    after: EvaluationResult | None
    figures: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def grade_changed(self) -> bool:
        return (self.before.grade if self.before else None) != (self.after.grade if self.after else None)

    @property
    def score_change(self) -> float | None:
        if self.before is None or self.after is None or self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > CLOSE * max(1.0, abs(a), abs(b))


def compare(user, before: EvaluationRun, after: EvaluationRun) -> list[Line]:
    """Firm by firm, over the results the user may see: grade moves first, then the largest score changes.
    The reasons are the accepted objections of the earlier run (what a new version corrected)."""
    results = EvaluationResult.objects.visible_to(user, VIEW).select_related("enterprise")
    old = {r.enterprise_id: r for r in results.filter(run=before)}
    new = {r.enterprise_id: r for r in results.filter(run=after)}
    reasons: dict[int, list[str]] = {}
    for objection in Objection.objects.filter(run__in=[before, after], state=Objection.ACCEPTED).order_by("pk"):
        reasons.setdefault(objection.enterprise_id, []).append(reason_of(objection))
    lines = []
    for pk in old.keys() | new.keys():
        a, b = old.get(pk), new.get(pk)
        values_a = {i["label"]: i["value"] for i in (a.breakdown if a else [])}
        values_b = {i["label"]: i["value"] for i in (b.breakdown if b else [])}
        figures = [
            (label, values_a.get(label), values_b.get(label))
            for label in dict.fromkeys([*values_a, *values_b])
            if _differs(values_a.get(label), values_b.get(label))
        ]
        lines.append(Line((a or b).enterprise, a, b, figures, reasons.get(pk, [])))
    lines.sort(key=lambda x: (not x.grade_changed, -abs(x.score_change or 0), x.enterprise.name))
    return lines
