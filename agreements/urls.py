from django.urls import path

from .views import library

app_name = "library"

urlpatterns = [
    path("", library.home, name="home"),
    path("themas/", library.theme_list, name="themes"),
    path("themas/<slug:slug>/", library.theme_detail, name="theme"),
    path("richtlijnen/", library.guidelines, name="guidelines"),
    path("achtergrond/po-raad/", library.poraad, name="poraad"),
    path("ethische-richtsnoeren/", library.requirements, name="requirements"),
    path("ai-tools-beoordelen/", library.checklists, name="checklists"),
    path("begrippen/", library.glossary, name="glossary"),
    path("bronnen/", library.sources, name="sources"),
    path("zoeken/", library.search, name="search"),
]
