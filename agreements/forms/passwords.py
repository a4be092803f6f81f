"""Password validators with our own Dutch: Django's similarity message says "de e-mailadres" and "uw"."""

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Field -> how the message names it ("het e-mailadres", not Django's "de e-mailadres").
NAMES = {"email": gettext_lazy("je e-mailadres"), "name": gettext_lazy("je naam"),
         "username": gettext_lazy("je gebruikersnaam")}


class SimilarityValidator(UserAttributeSimilarityValidator):
    """Django's check that a password is not too like the name or e-mail address, saying so in our voice."""

    def __init__(self, user_attributes=("name", "email"), max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            attribute = next((a for a in self.user_attributes if self._looks_like(password, user, a)), "name")
            raise ValidationError(
                _("Je wachtwoord lijkt te veel op %(what)s. Kies een wachtwoord dat daar niet op lijkt.")
                % {"what": NAMES.get(attribute, NAMES["name"])},
                code="password_too_similar",
            ) from error

    def _looks_like(self, password, user, attribute):
        single = UserAttributeSimilarityValidator(user_attributes=[attribute], max_similarity=self.max_similarity)
        try:
            single.validate(password, user)
        except ValidationError:
            return True
        return False

    def get_help_text(self):
        return _("Je wachtwoord mag niet te veel op je naam of e-mailadres lijken.")
