"""The search page. (A placeholder until search is built.)"""

from django.http import HttpResponse
from django.views import View


class SearchView(View):
    def get(self, request, *args, **kwargs):
        return HttpResponse("")
