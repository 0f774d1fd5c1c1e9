from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: a Django view that inserts one row, nothing else."""
    with connection.cursor() as cur:
        cur.execute("INSERT INTO bench_bare (body) VALUES (%s)", [request.POST.get("description", "")])
    return HttpResponse("ok", status=201)


urlpatterns = [path("bench/bare/", bare), *product]
