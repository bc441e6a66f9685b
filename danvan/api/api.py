from ninja import NinjaAPI

api = NinjaAPI(title="danvan API", version="1", urls_namespace="api")
