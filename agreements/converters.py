"""The `<id:…>` path converter for the ids in our URLs: digits, at most 18 of them.

Django's `<int:…>` takes any number of digits, and an id past the database's 64-bit integers made the query fail
(a 500 on SQLite and PostgreSQL alike); 18 digits always fit, and a longer "id" is a 404 before any query.
Imported by every urls_*.py module, which registers it.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
