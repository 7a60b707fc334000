"""Date and number formats for the three languages (FORMAT_MODULE_PATH).

Django has no Kazakh formats, and its English date reads "April 25, 2024"; the archive writes
«25 сәуір 2024 ж.», «25 апреля 2024 г.» and "25 April 2024".
"""

from django.utils.translation import pgettext_lazy

# The month names that Django's "E" date format uses (the form that follows a day number).
# Django's Kazakh catalogue capitalises them; Kazakh writes them in lower case («25 сәуір»).
# Declaring them here keeps them in our catalogue, which takes precedence over Django's.
MONTHS_AFTER_DAY = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
