"""URLs of the meeting, decision, sign-off and Panel submission pages."""

urlpatterns: list = []
