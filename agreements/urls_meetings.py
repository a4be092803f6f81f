"""URLs of the meetings feature: leader pages by meeting_id, phone pages by the public join code."""

from django.urls import path

from .views import meetings

app_name = "meetings"

urlpatterns = [
    path("versies/<int:version_id>/vergaderingen/nieuw/", meetings.new_meeting, name="new"),
    path("vergaderingen/<int:meeting_id>/", meetings.control, name="control"),
    path("vergaderingen/<int:meeting_id>/scherm/", meetings.projector, name="projector"),
    path("vergaderingen/<int:meeting_id>/stand/", meetings.live, name="live"),
    path("vergaderingen/<int:meeting_id>/qr.svg", meetings.qr_code, name="qr"),
    path("vergaderingen/<int:meeting_id>/volgende/", meetings.next_item, name="next"),
    path("vergaderingen/<int:meeting_id>/vorige/", meetings.previous_item, name="previous"),
    path("vergaderingen/<int:meeting_id>/uitslag-verbergen/", meetings.hide_tally, name="hide_tally"),
    path("vergaderingen/<int:meeting_id>/afsluiten/", meetings.close_meeting, name="close"),
    path("vergaderingen/<int:meeting_id>/uitslag/", meetings.results, name="results"),
    path("vergaderingen/<int:meeting_id>/verslag/", meetings.record, name="record"),
    path("vergaderingen/<int:meeting_id>/verslag.csv", meetings.record_csv, name="record_csv"),
    path("vergaderingen/<int:meeting_id>/verslag.xlsx", meetings.record_xlsx, name="record_xlsx"),
    path("vergaderingen/<int:meeting_id>/verslag/pdf/", meetings.record_pdf, name="record_pdf"),
    path("vergaderingen/<int:meeting_id>/punten/<int:item_id>/tonen/", meetings.show_item, name="show_item"),
    path("vergaderingen/<int:meeting_id>/punten/<int:item_id>/openen/", meetings.open_item, name="open_item"),
    path("vergaderingen/<int:meeting_id>/punten/<int:item_id>/sluiten/", meetings.close_item, name="close_item"),
    # Public: anyone with the code (or, in a members-only meeting, signed-in members of the school).
    path("stem/", meetings.enter, name="enter"),
    path("stem/<str:join_code>/", meetings.vote_page, name="vote"),
    path("stem/<str:join_code>/meedoen/", meetings.join, name="join"),
    path("stem/<str:join_code>/stemmen/", meetings.vote, name="cast"),
    path("stem/<str:join_code>/huidig/", meetings.current, name="current"),
]
