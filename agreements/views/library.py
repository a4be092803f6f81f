"""The public content library: no login, few queries per page."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from ..models import (
    ChecklistItem,
    ConversationPrompt,
    ExampleAgreement,
    GlossaryTerm,
    Guideline,
    GuidelineCategory,
    KeyRequirement,
    Section,
    Source,
    Theme,
)


def public_urls():
    """Every page of the public library (for the tests and `make bench`)."""
    from django.urls import reverse

    names = ["home", "themes", "guidelines", "poraad", "requirements", "checklists", "glossary", "sources", "search"]
    urls = [reverse(f"library:{name}") for name in names]
    urls += [theme.get_absolute_url() for theme in Theme.objects.all()]
    return urls + [reverse("library:search") + "?q=privacy"]


def _categories():
    return GuidelineCategory.objects.select_related("source").prefetch_related(
        Prefetch("guidelines", queryset=Guideline.objects.prefetch_related("themes"))
    )


def home(request):
    themes = Theme.objects.prefetch_related("agreements")
    return render(request, "library/home.html", {"themes": themes})


def theme_list(request):
    themes = Theme.objects.prefetch_related("agreements")
    prompts = ConversationPrompt.objects.all()
    return render(request, "library/theme_list.html", {"themes": themes, "prompts": prompts})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("source"), slug=slug)
    agreements = theme.agreements.prefetch_related("requirements")
    guidelines = (
        Guideline.objects.filter(themes=theme).select_related("category__source").order_by("category__order", "number")
    )
    requirements = KeyRequirement.objects.filter(agreements__theme=theme).distinct()
    neighbours = list(Theme.objects.filter(number__in=[theme.number - 1, theme.number + 1]))
    context = {
        "theme": theme,
        "agreements": agreements,
        "prompts": theme.prompts.all(),
        "guidelines": guidelines,
        "requirements": requirements,
        "previous": next((t for t in neighbours if t.number < theme.number), None),
        "next": next((t for t in neighbours if t.number > theme.number), None),
    }
    return render(request, "library/theme_detail.html", context)


def guidelines(request):
    introductions = Section.objects.filter(kind=Section.Kind.BACKGROUND).exclude(source__slug="po-raad")
    context = {"categories": _categories(), "introductions": introductions.select_related("source")}
    return render(request, "library/guidelines.html", context)


def poraad(request):
    source = get_object_or_404(Source, slug="po-raad")
    sections = source.sections.all()
    categories = _categories().filter(source=source)
    return render(
        request, "library/poraad.html", {"source": source, "sections": sections, "categories": categories}
    )


def requirements(request):
    items = KeyRequirement.objects.select_related("source").prefetch_related("questions")
    scenarios = Section.objects.filter(kind=Section.Kind.SCENARIO).select_related("source")
    return render(request, "library/requirements.html", {"requirements": items, "scenarios": scenarios})


def checklists(request):
    items = ChecklistItem.objects.select_related("source")
    groups = {kind: [i for i in items if i.kind == kind] for kind in ChecklistItem.Kind.values}
    context = {
        "tool_questions": groups[ChecklistItem.Kind.TOOL_QUESTION],
        "actions": groups[ChecklistItem.Kind.ACTION],
        "review": groups[ChecklistItem.Kind.REVIEW],
        "source": items[0].source if items else None,
    }
    return render(request, "library/checklists.html", context)


def glossary(request):
    terms = GlossaryTerm.objects.select_related("source")
    return render(request, "library/glossary.html", {"terms": terms})


def sources(request):
    return render(request, "library/sources.html", {"sources": Source.objects.all()})


SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 30


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    results = {}
    if len(query) >= SEARCH_MIN_LENGTH:
        q = query
        results = {
            "themes": list(
                Theme.objects.filter(Q(title__icontains=q) | Q(explanation__icontains=q) | Q(sketch__icontains=q))
            ),
            "agreements": list(
                ExampleAgreement.objects.filter(Q(text__icontains=q) | Q(explanation__icontains=q))
                .select_related("theme")[:SEARCH_LIMIT]
            ),
            "guidelines": list(
                Guideline.objects.filter(Q(text__icontains=q) | Q(title__icontains=q))
                .select_related("category")[:SEARCH_LIMIT]
            ),
            "requirements": list(
                KeyRequirement.objects.filter(
                    Q(title__icontains=q) | Q(description__icontains=q) | Q(questions__text__icontains=q)
                ).distinct()
            ),
            "terms": list(
                GlossaryTerm.objects.filter(Q(term__icontains=q) | Q(definition__icontains=q))[:SEARCH_LIMIT]
            ),
            "sections": list(
                Section.objects.filter(Q(title__icontains=q) | Q(body__icontains=q))
                .select_related("source")[:SEARCH_LIMIT]
            ),
        }
    total = sum(len(v) for v in results.values())
    context = {"query": query, "results": results, "total": total, "too_short": 0 < len(query) < SEARCH_MIN_LENGTH}
    return render(request, "library/search.html", context)
