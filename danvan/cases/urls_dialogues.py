
app_name = "dialogues"

urlpatterns: list = []
