# «25 сәуір 2024 ж.»; numbers as «119 000,5» with a non-breaking space between groups.
DATE_FORMAT = r"j E Y \ж."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = r"j E Y \ж. H:i"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
