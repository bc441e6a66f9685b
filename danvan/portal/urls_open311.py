
app_name = "open311"

urlpatterns: list = []
