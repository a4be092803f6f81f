"""URLs of the meetings feature: leader pages by meeting_id, phone pages by the public join code."""

from django.urls import path

from . import converters  # noqa: F401 (registers <id:…>)
from .views import meetings

app_name = "meetings"

urlpatterns = [
    path("versies/<id:version_id>/vergaderingen/nieuw/", meetings.new_meeting, name="new"),
    path("vergaderingen/<id:meeting_id>/", meetings.control, name="control"),
    path("vergaderingen/<id:meeting_id>/scherm/", meetings.projector, name="projector"),
    path("vergaderingen/<id:meeting_id>/stand/", meetings.live, name="live"),
    path("vergaderingen/<id:meeting_id>/qr.svg", meetings.qr_code, name="qr"),
    path("vergaderingen/<id:meeting_id>/volgende/", meetings.next_item, name="next"),
    path("vergaderingen/<id:meeting_id>/vorige/", meetings.previous_item, name="previous"),
    path("vergaderingen/<id:meeting_id>/uitslag-verbergen/", meetings.hide_tally, name="hide_tally"),
    path("vergaderingen/<id:meeting_id>/afsluiten/", meetings.close_meeting, name="close"),
    path("vergaderingen/<id:meeting_id>/uitslag/", meetings.results, name="results"),
    path("vergaderingen/<id:meeting_id>/verslag/", meetings.record, name="record"),
    path("vergaderingen/<id:meeting_id>/verslag.csv", meetings.record_csv, name="record_csv"),
    path("vergaderingen/<id:meeting_id>/verslag.xlsx", meetings.record_xlsx, name="record_xlsx"),
    path("vergaderingen/<id:meeting_id>/verslag/pdf/", meetings.record_pdf, name="record_pdf"),
    path("vergaderingen/<id:meeting_id>/punten/<id:item_id>/tonen/", meetings.show_item, name="show_item"),
    path("vergaderingen/<id:meeting_id>/punten/<id:item_id>/openen/", meetings.open_item, name="open_item"),
    path("vergaderingen/<id:meeting_id>/punten/<id:item_id>/sluiten/", meetings.close_item, name="close_item"),
    # Public: anyone with the code (or, in a members-only meeting, signed-in members of the school).
    path("stem/", meetings.enter, name="enter"),
    path("stem/<str:join_code>/", meetings.vote_page, name="vote"),
    path("stem/<str:join_code>/meedoen/", meetings.join, name="join"),
    path("stem/<str:join_code>/stemmen/", meetings.vote, name="cast"),
    path("stem/<str:join_code>/huidig/", meetings.current, name="current"),
]
