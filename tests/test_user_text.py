"""The texts a team types, as the policy document shows them: escaped, paragraphs kept, "- " lines a list;
and an amendment's two sides with the added and the removed words marked."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from agreements.templatetags.content_text import changed_text, user_text
from tests.document_data import realistic_adopted_version


def test_lines_starting_with_a_dash_become_a_real_list_after_the_intro_line():
    html = user_text("Voordat je begint:\n- lijst bekijken;\n- geen namen.\nDaarna pas de tool.")
    assert html == ('<div class="user-text"><p>Voordat je begint:</p>'
                    "<ul><li>lijst bekijken;</li><li>geen namen.</li></ul><p>Daarna pas de tool.</p></div>")


def test_a_blank_line_starts_a_new_paragraph_and_a_single_newline_is_a_line_break():
    html = user_text("Eerste regel\ntweede regel\n\nNieuwe alinea")
    assert html == '<div class="user-text"><p>Eerste regel<br>tweede regel</p><p>Nieuwe alinea</p></div>'


def test_html_typed_by_a_user_is_shown_as_text_also_inside_a_list():
    html = user_text('<script>alert(1)</script>\n- <b onclick="x()">vet</b>')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;b onclick=&quot;x()&quot;&gt;vet&lt;/b&gt;</li>" in html


def test_a_dash_inside_a_line_or_a_word_is_no_list():
    assert "<ul>" not in user_text("AI-tools - zoals ChatGPT - gebruiken we niet.")
    assert "<ul>" not in user_text("-geen spatie")


def test_the_filter_works_in_a_template_with_its_own_class():
    out = Template('{% load content_text %}{{ t|user_text:"doc-agreement-text" }}').render(Context({"t": "- a\n- b"}))
    assert out == '<div class="doc-agreement-text"><ul><li>a</li><li>b</li></ul></div>'


def test_the_new_side_of_an_amendment_marks_what_was_added_and_keeps_the_whole_text():
    html = changed_text("Gebruik AI in de klas.", "Gebruik AI alleen in de klas en op de BSO.", "new")
    assert html == ('<div class="user-text"><p>Gebruik AI<ins> alleen</ins> in de '
                    "<ins>klas en op de BSO.</ins></p></div>")


def test_the_old_side_of_an_amendment_marks_what_was_removed():
    html = changed_text("Gebruik AI in de klas.", "Gebruik AI alleen in de klas en op de BSO.", "old")
    assert html == '<div class="user-text"><p>Gebruik AI in de <del>klas.</del></p></div>'


def test_an_amendment_with_a_list_keeps_the_list_and_escapes():
    html = changed_text("Let op:\n- namen", "Let op:\n- namen\n- <cijfers>", "new")
    assert html == ('<div class="user-text"><p>Let op:</p><ul><li>namen</li>'
                    "<li><ins>&lt;cijfers&gt;</ins></li></ul></div>")


@pytest.mark.django_db
@pytest.mark.usefixtures("content")
def test_the_preview_page_shows_a_typed_list_as_a_list_and_an_amendment_with_its_changes(client, school, leader,
                                                                                         mr_member):
    version = realistic_adopted_version(school=school, leader=leader, mr_member=mr_member)
    client.force_login(leader)
    page = client.get(reverse("documents:preview", args=[version.pk])).content.decode()
    assert "<li>of de tool op de lijst van de school staat;</li>" in page
    assert "- of de tool" not in page
    assert "Voorbeeldafspraak van Kennisnet" in page
    assert "<ins>" in page and "<del>" in page
    review = client.get(reverse("policy:review", args=[version.pk])).content.decode()
    assert "<li>of de tool op de lijst van de school staat;</li>" in review
