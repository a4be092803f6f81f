"""Query budgets of the register's pages: at most 15 queries, and the same number for 1 tool as for 50."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Answer, Theme
from agreements.queries import tools as tool_queries
from agreements.services import tools as services
from agreements.services.policy import start_policy

pytestmark = pytest.mark.usefixtures("content")
BUDGET = 15


def fill(school, leader, count):
    """`count` tools, each approved, linked to two themes, with every question answered and a comment."""
    themes = list(Theme.objects.all()[:2])
    questions = tool_queries.question_index()
    for n in range(count):
        tool = services.add_tool(school=school, by=leader, name=f"Tool {n}", purpose="Lesideeën")
        services.save_answers(tool=tool, by=leader, number=0,
                              answers={key: (Answer.Value.PARTLY, "Uitzoeken") for key in questions})
        services.decide(tool=tool, by=leader, verdict="conditional", conditions="Zonder namen",
                        reassess_on=timezone.localdate() + timedelta(days=60))
        services.link_tool(tool=tool, by=leader, themes=themes, agreements=[])
        services.add_comment(tool=tool, by=leader, text="Prima")
    return tool


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def page_urls(school, tool, version):
    return {
        "register": reverse("tools:register", args=[school.pk]),
        "detail": reverse("tools:detail", args=[tool.pk]),
        "assess": reverse("tools:assess", args=[tool.pk]),
        "decide": reverse("tools:decide", args=[tool.pk]),
        "links": reverse("tools:links", args=[tool.pk]),
        "history": reverse("tools:history", args=[tool.pk]),
        "policy review": reverse("policy:review", args=[version.pk]),
    }


def measure(school, leader, count):
    version = start_policy(school=school, by=leader)
    tool = fill(school, leader, count)
    client = Client()
    client.force_login(leader)
    urls = page_urls(school, tool, version)
    client.get(urls["register"])  # the session's first request
    return {name: count_queries(client, url) for name, url in urls.items()}


def test_the_register_pages_stay_within_the_budget_and_constant_from_1_to_50_tools(school, leader, other_school,
                                                                                  other_leader):
    one = measure(school, leader, 1)
    fifty = measure(other_school, other_leader, 50)
    register_pages = {name: n for name, n in fifty.items() if name != "policy review"}
    assert max(register_pages.values()) <= BUDGET, register_pages
    assert fifty == one
