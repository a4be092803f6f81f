"""Moving house: a school exported as JSON and recreated from it, here and on PostgreSQL, and what is refused."""

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Decision,
    ExampleAgreement,
    GuidingQuestion,
    Membership,
    RenderedDocument,
    School,
    Theme,
    User,
)
from agreements.queries.export import SCHEMA_VERSION, school_export
from agreements.services import documents, meetings
from agreements.services.school_import import ImportRefused, import_school
from tests.document_data import adopted_version
from tests.factories import CommentFactory, MembershipFactory
from tests.factories.tools import AnswerFactory, AssessmentFactory, ToolCommentFactory, ToolFactory

BASE_DIR = Path(__file__).resolve().parent.parent
SITE = "http://testserver/"
pytestmark = pytest.mark.usefixtures("content")


def without_volatile(data):
    data = json.loads(json.dumps(data))  # as written to the file
    data.pop("exported_at")
    for version in data["versions"]:
        for document in version["documents"]:
            document.pop("file")
    return data


@pytest.fixture
def moved_school(school, leader, teacher, mr_member, media_root):
    """An adopted v1 with a PDF, comments, history and a former member; a draft v2 with a closed meeting."""
    v1 = adopted_version(school=school, leader=leader, mr_member=mr_member)
    decision = v1.decisions.adopted().first()
    CommentFactory(decision=decision, author=teacher, text="Goed dat dit erin staat — ook voor groep 8.")
    former = MembershipFactory(school=school, role="team", user__name="Frits Vroeger").user
    CommentFactory(decision=decision, author=former, text="Ik ben er straks niet meer bij.")
    Membership.objects.filter(user=former).delete()
    pdf = b"%PDF-1.7 de ondertekende versie"
    document = RenderedDocument.objects.create(
        version=v1, edition=RenderedDocument.Edition.TEAM, status=RenderedDocument.Status.DONE,
        site_url="https://oud.example/", queued_at=timezone.now(), finished_at=timezone.now(),
        sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), page_count=1)
    (media_root / document.storage_name).parent.mkdir(parents=True)
    (media_root / document.storage_name).write_bytes(pdf)
    RenderedDocument.objects.filter(pk=document.pk).update(file=document.storage_name)
    v2 = documents.start_new_draft_from(version=v1, by=leader)
    changed = v2.decisions.adopted().first()
    changed.choice, changed.text = Decision.Choice.AMEND, "Nieuwe tekst na de evaluatie."
    changed.save()
    meeting = meetings.create_meeting(version=v2, decisions=list(v2.decisions.adopted()[:2]), audience="anyone",
                                      hide_tally=False, by=leader)
    first, second = meeting.items.all()
    meetings.open_item(meeting=meeting, item=first)
    for n, choice in enumerate(["support", "support", "against"]):
        participant = meetings.join(meeting=meeting, name=f"Telefoon {n}")
        meetings.cast_vote(participant=participant, item_id=first.pk, choice=choice,
                           comment="Akkoord" if n == 0 else "")
    meetings.close_item(meeting=meeting, item=first)
    meetings.close_meeting(meeting=meeting)
    tool = ToolFactory(school=school, name="Schrijfhulp Pro", created_by=leader, assessment=None)
    tool.themes.set(Theme.objects.filter(number__in=[2, 5]))
    tool.agreements.set([ExampleAgreement.objects.get(theme__number=2, number=1)])
    ToolCommentFactory(tool=tool, author=mr_member, text="Is er een verwerkersovereenkomst?")
    assessment = AssessmentFactory(tool=tool, approved=True, decided_by=leader, conditions="Alleen zonder namen.")
    AnswerFactory(assessment=assessment, note="Ja, getekend in mei.")
    AnswerFactory(assessment=assessment, tool_question=None, value="partly",
                  guiding_question=GuidingQuestion.objects.order_by("requirement__number", "number").first())
    ToolFactory(school=school, name="Oude chatbot", deleted_at=timezone.now())
    return school


def test_the_export_holds_the_school_without_secrets(moved_school, leader, teacher):
    data = school_export(moved_school, now=timezone.now())
    text = json.dumps(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert {(m["email"], m["role"]) for m in data["members"]} >= {(leader.email, "leader"), (teacher.email, "team")}
    v1, v2 = data["versions"]
    assert (v1["status"], v2["status"], v2["based_on"]) == ("adopted", "draft", 1)
    assert "Frits Vroeger" in {p["name"] for p in data["people"]}
    assert any(c["text"].startswith("Goed dat dit") and c["author"] == teacher.email
               for d in v1["decisions"] for c in d["comments"])
    assert v1["documents"][0]["sha256"] and v1["documents"][0]["verification_code"]
    [meeting] = v2["meetings"]
    assert meeting["items"][0]["counts"] == {"support": 2, "amended": 0, "against": 1}
    assert meeting["items"][1]["counts"] == {"support": 0, "amended": 0, "against": 0}
    assert meeting["items"][0]["comments"] == ["Akkoord"]
    for secret in ("pbkdf2", "Telefoon 0", meeting.get("join_code", "@@")):
        assert secret not in text
    assert leader.password not in text
    tools = {t["name"]: t for t in data["tools"]}
    assert tools["Schrijfhulp Pro"]["themes"] == [2, 5] and tools["Schrijfhulp Pro"]["agreements"] == ["2.1"]
    assert tools["Schrijfhulp Pro"]["assessment"]["verdict"] == "approved"
    assert {a["value"] for a in tools["Schrijfhulp Pro"]["assessment"]["answers"]} == {"yes", "partly"}
    assert tools["Oude chatbot"]["deleted_at"]


def test_export_import_export_is_the_same_file(moved_school, media_root, tmp_path, leader):
    before = school_export(moved_school, now=timezone.now())
    old_media = tmp_path / "oude-media"
    shutil.copytree(media_root, old_media)
    moved_school.delete()
    [document_row] = before["versions"][0]["documents"]

    result = import_school(copy.deepcopy(before), site_url=SITE, media_dir=old_media)

    after = school_export(result.school, now=timezone.now())
    assert without_volatile(after) == without_volatile(before)
    document = RenderedDocument.objects.get(verification_code=document_row["verification_code"])
    assert document.version.policy.school == result.school
    assert hashlib.sha256(document.file.read()).hexdigest() == document_row["sha256"]
    assert (result.files_copied, result.files_missing) == (1, 0)


def test_the_verify_page_accepts_the_old_pdf_after_the_move(moved_school, media_root, tmp_path, client):
    data = school_export(moved_school, now=timezone.now())
    row = data["versions"][0]["documents"][0]
    old_pdf = (media_root / row["file"]).read_bytes()
    moved_school.delete()
    import_school(data, site_url=SITE)  # through the upload page: the files do not come along
    page = client.get(reverse("documents:verify", args=[row["verification_code"]]))
    assert page.status_code == 200
    assert "Basisschool De Regenboog" in page.content.decode()
    upload = SimpleUploadedFile("beleid.pdf", old_pdf, content_type="application/pdf")
    checked = client.post(reverse("documents:verify", args=[row["verification_code"]]), {"file": upload})
    assert checked.status_code == 200
    assert 'class="alert alert-success"' in checked.content.decode()


def test_a_member_without_an_account_gets_a_mail_and_switches_the_account_on(moved_school, client, teacher,
                                                                            django_capture_on_commit_callbacks):
    data = school_export(moved_school, now=timezone.now())
    moved_school.delete()
    User.objects.filter(email=teacher.email).delete()  # the new installation does not know the teacher
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        import_school(data, site_url=SITE)

    teacher_here = User.objects.get(email=teacher.email)
    assert not teacher_here.is_active and not teacher_here.has_usable_password()
    [message] = [m for m in mail.outbox if m.to == [teacher.email]]
    link = next(line for line in message.body.splitlines() if line.startswith(SITE))
    assert "Frits" not in " ".join(m.to[0] for m in mail.outbox)  # a former member gets no mail
    page = client.get(link.removeprefix(SITE[:-1]), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.removeprefix(SITE[:-1])
    done = client.post(form_url, {"new_password1": "Zomer-op-school-2026!", "new_password2": "Zomer-op-school-2026!"})
    assert done.status_code == 302
    teacher_here.refresh_from_db()
    assert teacher_here.is_active
    client.logout()
    logged_in = client.post(reverse("login"), {"username": teacher.email, "password": "Zomer-op-school-2026!"})
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(teacher_here.pk)
    assert Membership.objects.filter(user=teacher_here, school__name="Basisschool De Regenboog").exists()


@pytest.mark.parametrize("spoil, message", [
    (lambda d: d.update(schema_version=SCHEMA_VERSION + 1), "nieuwere versie"),
    (lambda d: d.update(schema="iets-anders"), "geen export"),
    (lambda d: d["versions"][0]["decisions"][0].update(theme=99), "Thema 99"),
    (lambda d: d["versions"][0]["decisions"][0].update(example=42), "Voorbeeldafspraak"),
    (lambda d: d["versions"][0].pop("decisions"), "onvolledig"),
    (lambda d: d["versions"][1]["meetings"][0].update(participants=1), "meer stemmen dan deelnemers"),
])
def test_a_spoilt_file_is_refused_with_nothing_half_imported(moved_school, spoil, message):
    data = school_export(moved_school, now=timezone.now())
    moved_school.delete()
    spoil(data)
    counts = (School.objects.count(), User.objects.count(), Decision.objects.count())
    with pytest.raises(ImportRefused, match=message):
        import_school(data, site_url=SITE)
    assert (School.objects.count(), User.objects.count(), Decision.objects.count()) == counts


def test_a_school_that_is_already_here_is_refused(moved_school):
    data = school_export(moved_school, now=timezone.now())
    with pytest.raises(ImportRefused, match="al een school"):
        import_school(data, site_url=SITE)
    assert School.objects.filter(name=moved_school.name).count() == 1


def test_the_command_says_what_is_wrong_with_a_truncated_file(moved_school, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_school", str(moved_school.pk), output=str(path))
    path.write_text(path.read_text()[:500])
    with pytest.raises(CommandError, match="geen leesbare JSON"):
        call_command("import_school", str(path))


def test_a_leader_downloads_and_another_member_cannot(moved_school, client, leader, teacher, other_leader):
    url = reverse("schools:export", args=[moved_school.pk])
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="AI-beleidsbouwer-basisschool-de-')
    assert json.loads(response.content)["school"]["name"] == moved_school.name
    for outsider in (teacher, other_leader):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_upload_page_brings_the_school_in_for_a_leader_named_in_the_file(moved_school, client, leader,
                                                                               other_leader):
    data = json.dumps(school_export(moved_school, now=timezone.now())).encode()
    moved_school.delete()
    client.force_login(other_leader)
    refused = client.post(reverse("schools:import"), {"file": SimpleUploadedFile("school.json", data)})
    assert "Alleen een schoolleider die in het bestand staat" in refused.content.decode()
    assert not School.objects.filter(name="Basisschool De Regenboog").exists()
    client.force_login(leader)
    spoilt = client.post(reverse("schools:import"), {"file": SimpleUploadedFile("foto.png", b"\x89PNG\r\n")})
    assert "geen leesbaar JSON-bestand" in spoilt.content.decode()
    done = client.post(reverse("schools:import"), {"file": SimpleUploadedFile("school.json", data)}, follow=True)
    school = School.objects.get(name="Basisschool De Regenboog")
    assert done.redirect_chain[-1][0] == school.get_absolute_url()
    assert "staat nu op deze installatie" in done.content.decode()


def _postgres_url():
    return os.environ.get("EXPORT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def _psql(sql):
    return subprocess.run(["psql", _postgres_url(), "-qc", sql], capture_output=True, text=True)


@pytest.mark.worker  # starts processes of its own: with the worker tests, not in test-fast
def test_moving_from_the_embedded_default_to_postgresql(moved_school, media_root, tmp_path):
    """What the README's "Verhuizen" section says, run: export here, import into a fresh PostgreSQL, export there."""
    if shutil.which("psql") is None or _psql("SELECT 1").returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable: CI has it on 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not reachable here")
    database = f"verhuizing_{uuid.uuid4().hex[:10]}"
    assert _psql(f"CREATE DATABASE {database}").returncode == 0
    try:
        before = school_export(moved_school, now=timezone.now())
        export_file = tmp_path / "school.json"
        export_file.write_text(json.dumps(before, ensure_ascii=False))
        new_media = tmp_path / "nieuwe-media"
        env = {**os.environ, "DATABASE_URL": _postgres_url().rsplit("/", 1)[0] + "/" + database,
               "MEDIA_ROOT": str(new_media), "DATA_DIR": str(tmp_path / "data"), "EMAIL_BACKEND":
               "django.core.mail.backends.locmem.EmailBackend"}
        env.pop("DJANGO_SETTINGS_MODULE", None)

        def manage(*args):
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
            return done.stdout

        manage("migrate", "--noinput", "-v0")
        manage("load_content")
        said = manage("import_school", str(export_file), "--media", str(media_root))
        assert "1 pdf('s) meegenomen" in said
        after = json.loads(manage("export_school", "Basisschool De Regenboog"))
        assert without_volatile(after) == without_volatile(before)
    finally:
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
