# «25 апреля 2024 г.»; numbers as «119 000,5» with a non-breaking space between groups.
DATE_FORMAT = "j E Y г."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j E Y г. H:i"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
