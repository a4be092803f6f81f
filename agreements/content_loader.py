"""Load the content library from fixtures/*.json into the content models.

One transaction, rows matched by natural key (slug, or number within the parent), so loading again updates
texts in place and keeps primary keys. Rows no longer in the fixtures are deleted. Only rows that changed
are written: an unchanged second run costs one SELECT per model and per many-to-many table.

Fixture format (one JSON object per file; every key is optional):

    {
      "source": "<source slug>",            # the source of every row in this file
      "sources": [{"slug", "title", "short_name", "publisher", "published", "url", "licence",
                   "attribution", "order"}],
      "prompts": [{"slug", "kind", "text"}],
      "themes": [{"number", "slug", "title", "explanation", "sketch", "prompts": [<prompt slug>],
                  "agreements": [{"number", "text", "explanation",
                                  "guidelines": ["<category slug>/<number>"], "requirements": [<number>]}]}],
      "guideline_categories": [{"slug", "title", "intro", "order",
                                "guidelines": [{"number", "title", "text", "themes": [<theme number>]}]}],
      "requirements": [{"number", "slug", "title", "description", "questions": ["<text>", ...]}],
      "sections": [{"slug", "kind", "title", "body", "order"}],
      "glossary": [{"slug", "term", "definition"}],
      "checklist": [{"kind", "number", "group", "text"}]
    }

Guiding questions are numbered by their position; a section without "order" gets its position in the file.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError

from .models import (
    ChecklistItem,
    ConversationPrompt,
    ExampleAgreement,
    GlossaryTerm,
    Guideline,
    GuidelineCategory,
    GuidingQuestion,
    KeyRequirement,
    Section,
    Source,
    Theme,
)


class ContentError(Exception):
    """The fixtures are not valid; nothing has been written."""


def default_directory():
    return Path(settings.BASE_DIR) / "fixtures"


# --- reading the fixtures -------------------------------------------------------------------------

TOP_LEVEL = {
    "source", "sources", "prompts", "themes", "guideline_categories", "requirements", "sections", "glossary",
    "checklist",
}


INT_FIELDS = {"number", "order"}
LIST_FIELDS = {"prompts", "agreements", "guidelines", "requirements", "themes", "questions"}
TYPE_NAMES = {int: "geheel getal", list: "lijst", str: "tekst"}


@dataclass
class Content:
    """The rows the fixtures ask for, by natural key. Parents are referred to by their natural key."""

    sources: dict = field(default_factory=dict)  # slug -> fields
    prompts: dict = field(default_factory=dict)  # slug -> fields + "source"
    themes: dict = field(default_factory=dict)  # number -> fields + "source"
    theme_prompts: dict = field(default_factory=dict)  # theme number -> [prompt slug]
    agreements: dict = field(default_factory=dict)  # (theme number, number) -> fields
    agreement_guidelines: dict = field(default_factory=dict)  # agreement key -> [(category slug, number)]
    agreement_requirements: dict = field(default_factory=dict)  # agreement key -> [requirement number]
    categories: dict = field(default_factory=dict)  # slug -> fields + "source"
    guidelines: dict = field(default_factory=dict)  # (category slug, number) -> fields
    guideline_themes: dict = field(default_factory=dict)  # guideline key -> [theme number]
    requirements: dict = field(default_factory=dict)  # number -> fields + "source"
    questions: dict = field(default_factory=dict)  # (requirement number, number) -> fields
    sections: dict = field(default_factory=dict)  # slug -> fields + "source"
    glossary: dict = field(default_factory=dict)  # slug -> fields + "source"
    checklist: dict = field(default_factory=dict)  # (kind, number) -> fields + "source"


def _row(data, where, required, optional=None):
    """The row's fields: required keys must be there, optional ones get their default, others are an error."""
    optional = optional or {}
    if not isinstance(data, dict):
        raise ContentError(f"{where}: verwacht een object, kreeg {type(data).__name__}")
    unknown = set(data) - set(required) - set(optional)
    if unknown:
        raise ContentError(f"{where}: onbekende velden {sorted(unknown)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ContentError(f"{where}: ontbrekende velden {missing}")
    row = {**optional, **data}
    for key, value in row.items():
        expected = int if key in INT_FIELDS else list if key in LIST_FIELDS else str
        if value is None and key == "source":
            continue
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ContentError(f"{where}: {key!r} moet een {TYPE_NAMES[expected]} zijn, niet {value!r}")
    return row


def _put(table, key, value, where):
    if key in table:
        raise ContentError(f"{where}: {key!r} komt twee keer voor")
    table[key] = value


def _source(row, default, where):
    source = row.pop("source", None) or default
    if not source:
        raise ContentError(f"{where}: geen bron (zet \"source\" in het bestand of in de rij)")
    return source


def _guideline_ref(ref, where):
    category, _, number = str(ref).rpartition("/")
    if not category or not number.isdigit():
        raise ContentError(f"{where}: richtlijn {ref!r} moet de vorm '<categorie>/<nummer>' hebben")
    return (category, int(number))


def read_fixtures(directory):
    directory = Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise ContentError(f"Geen fixtures (*.json) gevonden in {directory}")
    content = Content()
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ContentError(f"{path.name}: {exc}") from exc
        if not isinstance(data, dict):
            raise ContentError(f"{path.name}: verwacht een JSON-object")
        unknown = set(data) - TOP_LEVEL
        if unknown:
            raise ContentError(f"{path.name}: onbekende onderdelen {sorted(unknown)}")
        _read_file(content, data, path.name)
    _check_references(content)
    return content


def _read_file(c, data, name):
    default = data.get("source")
    source_fields = ("slug", "title", "short_name", "publisher", "published", "attribution")
    for i, raw in enumerate(data.get("sources", []), 1):
        where = f"{name} sources[{i}]"
        row = _row(raw, where, source_fields, {"url": "", "licence": "", "order": i})
        _put(c.sources, row["slug"], row, where)

    for i, raw in enumerate(data.get("prompts", []), 1):
        where = f"{name} prompts[{i}]"
        row = _row(raw, where, ("slug", "kind", "text"), {"source": None})
        row["source"] = _source(row, default, where)
        _put(c.prompts, row["slug"], row, where)

    theme_fields = ("number", "slug", "title", "explanation", "sketch")
    for i, raw in enumerate(data.get("themes", []), 1):
        where = f"{name} themes[{i}]"
        row = _row(raw, where, theme_fields, {"source": None, "prompts": [], "agreements": []})
        row["source"] = _source(row, default, where)
        number = row["number"]
        _put(c.theme_prompts, number, list(row.pop("prompts")), where)
        agreements = row.pop("agreements")
        _put(c.themes, number, row, where)
        for j, raw_agreement in enumerate(agreements, 1):
            where_a = f"{where} agreements[{j}]"
            a = _row(raw_agreement, where_a, ("number", "text"),
                     {"explanation": "", "guidelines": [], "requirements": []})
            key = (number, a["number"])
            c.agreement_guidelines[key] = [_guideline_ref(ref, where_a) for ref in a.pop("guidelines")]
            c.agreement_requirements[key] = list(a.pop("requirements"))
            _put(c.agreements, key, {**a, "theme": number}, where_a)

    for i, raw in enumerate(data.get("guideline_categories", []), 1):
        where = f"{name} guideline_categories[{i}]"
        row = _row(raw, where, ("slug", "title"), {"intro": "", "order": i, "source": None, "guidelines": []})
        row["source"] = _source(row, default, where)
        guidelines = row.pop("guidelines")
        _put(c.categories, row["slug"], row, where)
        for j, raw_guideline in enumerate(guidelines, 1):
            where_g = f"{where} guidelines[{j}]"
            g = _row(raw_guideline, where_g, ("number", "text"), {"title": "", "themes": []})
            key = (row["slug"], g["number"])
            c.guideline_themes[key] = list(g.pop("themes"))
            _put(c.guidelines, key, {**g, "category": row["slug"]}, where_g)

    for i, raw in enumerate(data.get("requirements", []), 1):
        where = f"{name} requirements[{i}]"
        row = _row(raw, where, ("number", "slug", "title", "description"), {"source": None, "questions": []})
        row["source"] = _source(row, default, where)
        questions = row.pop("questions")
        _put(c.requirements, row["number"], row, where)
        for j, text in enumerate(questions, 1):
            if not isinstance(text, str):
                raise ContentError(f"{where} questions[{j}]: verwacht tekst, niet {text!r}")
            c.questions[(row["number"], j)] = {"requirement": row["number"], "number": j, "text": text}

    for i, raw in enumerate(data.get("sections", []), 1):
        where = f"{name} sections[{i}]"
        row = _row(raw, where, ("slug", "title", "body"),
                   {"kind": Section.Kind.BACKGROUND.value, "order": i, "source": None})
        row["source"] = _source(row, default, where)
        _put(c.sections, row["slug"], row, where)

    for i, raw in enumerate(data.get("glossary", []), 1):
        where = f"{name} glossary[{i}]"
        row = _row(raw, where, ("slug", "term", "definition"), {"source": None})
        row["source"] = _source(row, default, where)
        _put(c.glossary, row["slug"], row, where)

    for i, raw in enumerate(data.get("checklist", []), 1):
        where = f"{name} checklist[{i}]"
        row = _row(raw, where, ("kind", "number", "text"), {"group": "", "source": None})
        row["source"] = _source(row, default, where)
        _put(c.checklist, (row["kind"], row["number"]), row, where)


def _check_references(c):
    def check(kind, refs, table, owner):
        for ref in refs:
            if ref not in table:
                raise ContentError(f"{owner}: onbekende {kind} {ref!r}")

    for table, label in [(c.prompts, "gespreksvraag"), (c.themes, "thema"), (c.categories, "categorie"),
                         (c.requirements, "vereiste"), (c.sections, "sectie"), (c.glossary, "begrip"),
                         (c.checklist, "checklistpunt")]:
        for key, row in table.items():
            check("bron", [row["source"]], c.sources, f"{label} {key!r}")
    for number, prompts in c.theme_prompts.items():
        check("gespreksvraag", prompts, c.prompts, f"thema {number}")
    for key, themes in c.guideline_themes.items():
        check("thema", themes, c.themes, f"richtlijn {key!r}")
    for key, refs in c.agreement_guidelines.items():
        check("richtlijn", refs, c.guidelines, f"voorbeeldafspraak {key!r}")
    for key, refs in c.agreement_requirements.items():
        check("vereiste", refs, c.requirements, f"voorbeeldafspraak {key!r}")


# --- writing to the database ----------------------------------------------------------------------


@dataclass
class Result:
    counts: dict = field(default_factory=dict)  # label -> rows now in the database
    created: int = 0
    updated: int = 0
    deleted: int = 0
    links_changed: int = 0

    LABELS = [
        ("sources", "bronnen"), ("prompts", "gespreksvragen"), ("themes", "thema's"),
        ("agreements", "voorbeeldafspraken"), ("categories", "richtlijngroepen"), ("guidelines", "richtlijnen"),
        ("requirements", "vereisten"), ("questions", "richtvragen"), ("glossary", "begrippen"),
        ("sections", "achtergrondteksten en scenario's"), ("checklist", "checklistpunten"),
    ]

    def summary(self):
        parts = ", ".join(f"{self.counts[key]} {label}" for key, label in self.LABELS)
        return (f"Inhoud geladen: {parts} ({self.created} nieuw, {self.updated} gewijzigd, "
                f"{self.deleted} verwijderd).")


class _Writer:
    def __init__(self, result):
        self.result = result

    def delete_stale(self, model, existing, wanted, label):
        stale = [obj.pk for key, obj in existing.items() if key not in wanted]
        if not stale:
            return
        try:
            model.objects.filter(pk__in=stale).delete()
        except ProtectedError as exc:
            raise ContentError(
                f"Kan {len(stale)} {label} niet verwijderen: ze worden nog gebruikt door schoolgegevens."
            ) from exc
        for key in [k for k in existing if k not in wanted]:
            del existing[key]
        self.result.deleted += len(stale)

    def upsert(self, model, existing, wanted, values_of):
        """Create missing rows, update changed ones; returns natural key -> saved object."""
        exclude = [f.name for f in model._meta.fields if f.is_relation]
        create, update, changed = [], [], set()
        for key, row in wanted.items():
            values = values_of(row)
            obj = existing.get(key)
            if obj is None:
                obj = model(**values)
                create.append((key, obj))
            else:
                diff = [name for name, value in values.items() if getattr(obj, name) != value]
                if not diff:
                    continue
                for name in diff:
                    setattr(obj, name, values[name])
                update.append(obj)
                changed.update(diff)
            try:
                obj.clean_fields(exclude=exclude)
            except ValidationError as exc:
                raise ContentError(f"{model.__name__} {key!r}: {exc.message_dict}") from exc
        if create:
            if connection.features.can_return_rows_from_bulk_insert:
                model.objects.bulk_create([obj for _, obj in create])
            else:  # the ids are needed for the children and links
                for _, obj in create:
                    obj.save(force_insert=True)
            existing.update(dict(create))
        if update:
            model.objects.bulk_update(update, sorted(changed))
        self.result.created += len(create)
        self.result.updated += len(update)
        return existing

    def sync_m2m(self, relation, wanted_pairs):
        """Make the through table of `relation` (a ManyToManyField) hold exactly `wanted_pairs` (id, id)."""
        through = relation.remote_field.through
        src, dst = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        present = {(a, b): pk for pk, a, b in through.objects.values_list("pk", src, dst)}
        extra = [pk for pair, pk in present.items() if pair not in wanted_pairs]
        missing = sorted(pair for pair in wanted_pairs if pair not in present)
        if extra:
            through.objects.filter(pk__in=extra).delete()
        if missing:
            through.objects.bulk_create([through(**{f"{src}_id": a, f"{dst}_id": b}) for a, b in missing])
        self.result.links_changed += len(extra) + len(missing)


def load_content(directory=None):
    """Load every fixture in `directory` (default: BASE_DIR/fixtures) in one transaction; returns a Result."""
    content = read_fixtures(directory or default_directory())
    result = Result()
    with transaction.atomic():
        _write(content, _Writer(result))
    return result


def _write(c, w):
    # What is there now, by natural key.
    sources = {o.slug: o for o in Source.objects.all()}
    prompts = {o.slug: o for o in ConversationPrompt.objects.all()}
    themes = {o.number: o for o in Theme.objects.all()}
    theme_number = {o.pk: o.number for o in themes.values()}
    categories = {o.slug: o for o in GuidelineCategory.objects.all()}
    category_slug = {o.pk: o.slug for o in categories.values()}
    requirements = {o.number: o for o in KeyRequirement.objects.all()}
    requirement_number = {o.pk: o.number for o in requirements.values()}
    guidelines = {(category_slug[o.category_id], o.number): o for o in Guideline.objects.all()}
    questions = {(requirement_number[o.requirement_id], o.number): o for o in GuidingQuestion.objects.all()}
    agreements = {(theme_number[o.theme_id], o.number): o for o in ExampleAgreement.objects.all()}
    glossary = {o.slug: o for o in GlossaryTerm.objects.all()}
    sections = {o.slug: o for o in Section.objects.all()}
    checklist = {(o.kind, o.number): o for o in ChecklistItem.objects.all()}

    # Delete what the fixtures no longer have, children first (sources at the end).
    w.delete_stale(ChecklistItem, checklist, c.checklist, "checklistpunten")
    w.delete_stale(Section, sections, c.sections, "secties")
    w.delete_stale(GlossaryTerm, glossary, c.glossary, "begrippen")
    w.delete_stale(ExampleAgreement, agreements, c.agreements, "voorbeeldafspraken")
    w.delete_stale(GuidingQuestion, questions, c.questions, "richtvragen")
    w.delete_stale(Guideline, guidelines, c.guidelines, "richtlijnen")
    w.delete_stale(KeyRequirement, requirements, c.requirements, "vereisten")
    w.delete_stale(GuidelineCategory, categories, c.categories, "richtlijngroepen")
    w.delete_stale(Theme, themes, c.themes, "thema's")
    w.delete_stale(ConversationPrompt, prompts, c.prompts, "gespreksvragen")

    # Create and update, parents first.
    def plain(*names, source=True):
        def values(row):
            out = {name: row[name] for name in names}
            if source:
                out["source_id"] = sources[row["source"]].pk
            return out
        return values

    w.upsert(Source, sources, c.sources,
             plain("slug", "title", "short_name", "publisher", "published", "url", "licence", "attribution",
                   "order", source=False))
    w.upsert(ConversationPrompt, prompts, c.prompts, plain("slug", "kind", "text"))
    w.upsert(Theme, themes, c.themes, plain("number", "slug", "title", "explanation", "sketch"))
    w.upsert(GuidelineCategory, categories, c.categories, plain("slug", "title", "intro", "order"))
    w.upsert(KeyRequirement, requirements, c.requirements, plain("number", "slug", "title", "description"))
    w.upsert(Guideline, guidelines, c.guidelines, lambda r: {
        "category_id": categories[r["category"]].pk, "number": r["number"], "title": r["title"], "text": r["text"],
    })
    w.upsert(GuidingQuestion, questions, c.questions, lambda r: {
        "requirement_id": requirements[r["requirement"]].pk, "number": r["number"], "text": r["text"],
    })
    w.upsert(ExampleAgreement, agreements, c.agreements, lambda r: {
        "theme_id": themes[r["theme"]].pk, "number": r["number"], "text": r["text"],
        "explanation": r["explanation"],
    })
    w.upsert(GlossaryTerm, glossary, c.glossary, plain("slug", "term", "definition"))
    w.upsert(Section, sections, c.sections, plain("slug", "kind", "title", "body", "order"))
    w.upsert(ChecklistItem, checklist, c.checklist, plain("kind", "number", "group", "text"))

    # The links.
    w.sync_m2m(Theme._meta.get_field("prompts"), {
        (themes[t].pk, prompts[p].pk) for t, refs in c.theme_prompts.items() for p in refs
    })
    w.sync_m2m(Guideline._meta.get_field("themes"), {
        (guidelines[g].pk, themes[t].pk) for g, refs in c.guideline_themes.items() for t in refs
    })
    w.sync_m2m(ExampleAgreement._meta.get_field("guidelines"), {
        (agreements[a].pk, guidelines[g].pk) for a, refs in c.agreement_guidelines.items() for g in refs
    })
    w.sync_m2m(ExampleAgreement._meta.get_field("requirements"), {
        (agreements[a].pk, requirements[r].pk) for a, refs in c.agreement_requirements.items() for r in refs
    })

    # A source last: its rows may just have moved to another source.
    w.delete_stale(Source, sources, c.sources, "bronnen")

    w.result.counts = {
        "sources": len(sources), "prompts": len(prompts), "themes": len(themes), "agreements": len(agreements),
        "categories": len(categories), "guidelines": len(guidelines), "requirements": len(requirements),
        "questions": len(questions), "glossary": len(glossary), "sections": len(sections),
        "checklist": len(checklist),
    }
