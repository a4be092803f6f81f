"""Reads of a policy version: progress, the decisions on the wizard's pages, counts, the review, history."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from ..models import Action, Comment, Decision, ExampleAgreement, Guideline, KeyRequirement, Policy


def versions_of(school):
    """Every version of the school's policy (newest first) and the draft among them, if any."""
    policy = Policy.objects.filter(school=school).first()
    versions = list(policy.versions.all()) if policy else []
    return versions, next((v for v in versions if v.is_draft), None)


def progress(version):
    """Per theme its state (done, decided, still open); how many themes are done and agreements chosen."""
    states = list(version.theme_states.with_progress().select_related("theme"))
    decided = sum(s.decided for s in states)
    return {"states": states, "done_count": sum(s.done for s in states), "theme_count": len(states),
            "decided_count": decided, "agreement_count": decided + sum(s.still_open for s in states)}


def decisions_with_details(version):
    """The version's decisions in document order, each with `action_list` and `comment_list`."""
    return (
        version.decisions.in_document_order()
        .select_related("theme", "example", "updated_by")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.all(), to_attr="action_list"),
            Prefetch("comments", queryset=Comment.objects.select_related("author"), to_attr="comment_list"),
        )
    )


def choice_counts(version):
    """How many example agreements have each choice, and how many own agreements there are ("own")."""
    counts = dict.fromkeys(Decision.Choice.values, 0) | {"own": 0}
    for choice, example_id in version.decisions.values_list("choice", "example_id"):
        counts[choice if example_id else "own"] += 1
    return counts


@dataclass
class Coverage:
    """Which TWijs guidelines and EU key requirements the adopted example agreements cover."""

    guidelines_covered: list = field(default_factory=list)
    guidelines_missing: list = field(default_factory=list)
    requirements_covered: list = field(default_factory=list)
    requirements_missing: list = field(default_factory=list)
    requirement_agreements: dict = field(default_factory=dict)  # requirement id -> adopted agreements covering it

    @property
    def guideline_count(self):
        return len(self.guidelines_covered) + len(self.guidelines_missing)

    @property
    def requirement_count(self):
        return len(self.requirements_covered) + len(self.requirements_missing)

    @property
    def guideline_bars(self):
        """Per TWijs category (in order): its title, how many of its guidelines are covered, how many it has."""
        bars = {}
        for covered, guidelines in ((1, self.guidelines_covered), (0, self.guidelines_missing)):
            for g in guidelines:
                category = g.category
                bar = bars.setdefault(category.pk, {"title": category.title, "order": (category.order, category.slug),
                                                    "covered": 0, "total": 0})
                bar["covered"] += covered
                bar["total"] += 1
        return sorted(bars.values(), key=lambda b: b["order"])

    @property
    def requirement_bars(self):
        """Per EU requirement (in number order): how many adopted example agreements cover it (0: not covered)."""
        rows = [{"requirement": r, "count": self.requirement_agreements.get(r.pk, 0)}
                for r in self.requirements_covered + self.requirements_missing]
        top = max([row["count"] for row in rows] + [1])
        return [{**row, "max": top} for row in sorted(rows, key=lambda row: row["requirement"].number)]


def coverage(*, decisions):
    """`decisions`: the version's decisions (already loaded). Four queries."""
    example_ids = [d.example_id for d in decisions if d.example_id and d.is_adopted]
    guideline_ids = set(
        ExampleAgreement.guidelines.through.objects.filter(exampleagreement_id__in=example_ids)
        .values_list("guideline_id", flat=True)
    )
    requirement_links = list(
        ExampleAgreement.requirements.through.objects.filter(exampleagreement_id__in=example_ids)
        .values_list("keyrequirement_id", flat=True)
    )
    requirement_ids = set(requirement_links)
    result = Coverage(requirement_agreements=dict(Counter(requirement_links)))
    twijs = Guideline.objects.filter(category__slug__startswith="twijs-").select_related("category")
    for guideline in twijs:
        (result.guidelines_covered if guideline.pk in guideline_ids else result.guidelines_missing).append(guideline)
    for requirement in KeyRequirement.objects.all():
        target = result.requirements_covered if requirement.pk in requirement_ids else result.requirements_missing
        target.append(requirement)
    return result


def review(version):
    """The whole draft per theme, what is still open, and what the adopted agreements cover."""
    states = progress(version)
    decisions = list(decisions_with_details(version))
    by_theme = {s.theme_id: [] for s in states["states"]}
    for d in decisions:
        by_theme[d.theme_id].append(d)
    themes = [{"state": s, "theme": s.theme, "decisions": by_theme[s.theme_id]} for s in states["states"]]
    return {
        **states,
        "themes": themes,
        "open_decisions": [d for d in decisions if d.choice == Decision.Choice.OPEN],
        "rejected_without_reason": [d for d in decisions if d.choice == Decision.Choice.REJECT and not d.reason],
        "themes_without_adopted": [t for t in themes if not any(d.is_adopted for d in t["decisions"])],
        "themes_not_done": [s for s in states["states"] if not s.done],
        "coverage": coverage(decisions=decisions),
        "checks": (checks := review_checks(version)),
        "checks_done": sum(c.done for c in checks),
    }


def review_checks(version):
    """The review checklist of a draft started for the review (empty for other versions), by item number."""
    return list(version.review_checks.select_related("item").order_by("item__number"))


HISTORY_FIELDS = {"choice": gettext_lazy("Keuze"), "text": gettext_lazy("Tekst"), "reason": gettext_lazy("Reden")}


def decision_history(decision):
    """Who changed what, when: newest first, each entry with its record and the changed fields."""
    records = list(decision.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(HISTORY_FIELDS))
            changes = [_readable_change(decision, c) for c in delta.changes]
        entries.append({"record": record, "changes": [c for c in changes if c["old"] != c["new"]],
                        "choice_label": Decision.Choice(record.choice).label})
        previous = record
    entries.reverse()
    return entries


def _readable_change(decision, change):
    old, new = change.old, change.new
    if change.field == "choice":
        old, new = Decision.Choice(old).label, Decision.Choice(new).label
    elif change.field == "text" and decision.example_id:
        # An empty text means the example's text: compare what the team actually saw.
        old, new = old or decision.example.text, new or decision.example.text
    return {"field": change.field, "label": HISTORY_FIELDS[change.field], "old": old, "new": new}
