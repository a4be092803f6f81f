"""The one list of personal data the app holds: what, why, who sees it, and for how long.

The privacy page (`/privacy/`) is generated from DATA_KINDS, and the retention tasks (agreements/retention.py)
read their periods from here too (`period()`), so the page cannot say something the tasks do not do. A kind
with a `period_setting` must have a retention task of the same key (tests/test_privacy.py checks it); the
number of days is a setting (settings.py, README "Configuration").
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class DataKind:
    key: str
    what: str  # which personal data
    why: str  # the purpose
    who: str  # who can see it
    kept: str  # for how long, in words; "{days}" is filled in from the setting
    period_setting: str = ""  # the setting (days) a retention task applies; "" when kept as long as needed

    @property
    def days(self):
        return getattr(settings, self.period_setting) if self.period_setting else None

    @property
    def kept_text(self):
        if not self.period_setting:
            return str(self.kept)
        return str(self.kept).format(days=ngettext("%(n)d dag", "%(n)d dagen", self.days) % {"n": self.days})


DATA_KINDS = [
    DataKind(
        key="account",
        what=_("Je naam, je e-mailadres en je wachtwoord (versleuteld)."),
        why=_("Om in te loggen, en zodat je collega's zien wie wat schreef."),
        who=_("Jij, en de leden van de scholen waar je lid van bent (alleen je naam; je e-mailadres alleen de "
              "schoolleider)."),
        kept=_("Tot je je account verwijdert. Dan worden je naam en e-mailadres meteen gewist."),
    ),
    DataKind(
        key="memberships",
        what=_("Van welke school je lid bent en met welke rol."),
        why=_("Om te bepalen wat je in een school mag zien en doen."),
        who=_("Jij en de schoolleiders van die school."),
        kept=_("Tot je de school verlaat, je account verwijdert of de school wordt verwijderd."),
    ),
    DataKind(
        key="contributions",
        what=_("Je opmerkingen en wijzigingen in het beleid, met je naam en de datum."),
        why=_("Het team ziet wie wat voorstelde; de geschiedenis van een afspraak blijft te volgen."),
        who=_("De leden van de school."),
        kept=_("Zolang de school bestaat. Verwijder je je account, dan blijft de tekst staan met \"verwijderd "
               "account\" in plaats van je naam."),
    ),
    DataKind(
        key="signatures",
        what=_("De naam, functie en datum bij een handtekening of de instemming van de MR."),
        why=_("Ze staan in het vastgestelde beleid; een ondertekend document mag niet veranderen."),
        who=_("De leden van de school, en iedereen die de pdf krijgt (ook ouders)."),
        kept=_("Zolang de school bestaat, ook als je je account verwijdert."),
    ),
    DataKind(
        key="meeting_participants",
        what=_("De naam die je bij een teamvergadering op je telefoon typt, en het cookie dat je telefoon "
               "herkent (het cookie zelf verloopt na 12 uur)."),
        why=_("Zodat je je stem kunt wijzigen en de leider ziet wie er meedoet. Wie wat stemde, toont geen "
              "enkele pagina."),
        who=_("De schoolleider die de vergadering leidt."),
        kept=_("{days} nadat de vergadering is afgelopen. Daarna blijven alleen de aantallen stemmen en de "
               "opmerkingen, zonder naam."),
        period_setting="RETENTION_MEETING_PARTICIPANT_DAYS",
    ),
    DataKind(
        key="invitations",
        what=_("Het e-mailadres waarnaar een uitnodiging ging, en wie uitnodigde."),
        why=_("Om de uitnodiging te sturen en alleen dat adres te laten aannemen."),
        who=_("De schoolleiders van de school."),
        kept=_("{days} nadat de uitnodiging is gebruikt, ingetrokken of verlopen."),
        period_setting="RETENTION_INVITATION_DAYS",
    ),
    DataKind(
        key="mail_files",
        what=_("Verstuurde e-mails (uitnodigingen, wachtwoordlinks), als de site mail als bestand bewaart in "
               "plaats van te versturen."),
        why=_("Zodat de beheerder een link kan doorgeven als er geen mailserver is."),
        who=_("Alleen de beheerder van de server."),
        kept=_("{days}."),
        period_setting="RETENTION_MAIL_FILE_DAYS",
    ),
    DataKind(
        key="access_logs",
        what=_("Pogingen om in te loggen: het e-mailadres, het IP-adres, de browser en het tijdstip."),
        why=_("Om wachtwoorden raden te stoppen (na 5 fouten 15 minuten geblokkeerd)."),
        who=_("Alleen de beheerder van de server."),
        kept=_("{days}."),
        period_setting="RETENTION_ACCESS_LOG_DAYS",
    ),
    DataKind(
        key="deleted_schools",
        what=_("Alles van een school die een schoolleider heeft verwijderd: leden, beleid, opmerkingen, "
               "vergaderingen, uitnodigingen en pdf's."),
        why=_("Zodat een schoolleider het verwijderen nog ongedaan kan maken en de gegevens kan downloaden."),
        who=_("De leden van de school, zoals eerder."),
        kept=_("{days} nadat een schoolleider de school verwijderde. Daarna is alles weg; de controlepagina van "
               "een pdf zegt dan dat het document niet meer bewaard wordt."),
        period_setting="SCHOOL_DELETION_GRACE_DAYS",
    ),
    DataKind(
        key="sessions",
        what=_("Een sessiecookie dat je ingelogd houdt."),
        why=_("Zodat je niet op elke pagina opnieuw hoeft in te loggen."),
        who=_("Niemand; alleen de server leest het."),
        kept=_("Tot je uitlogt, en hooguit {days}."),
        period_setting="RETENTION_SESSION_DAYS",
    ),
]


def kind(key):
    return next(k for k in DATA_KINDS if k.key == key)


def period(key):
    """How long data of this kind is kept after its moment (closing, expiry, sending, …), as a timedelta."""
    return timedelta(days=kind(key).days)
