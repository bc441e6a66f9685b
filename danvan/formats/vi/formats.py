"""Vietnamese formats (Django date syntax for *_FORMAT, strftime for *_INPUT_FORMATS).

Django's own "vi" formats write a date "Ngày 07 tháng 12 năm 2026" or "07-12-2026" and
a month "tháng Mười hai 2026"; officers and legal documents write 07/12/2026 and
tháng 12/2026. Forms parse dates with core.forms.DateField, which does not read the
*_INPUT_FORMATS below; they serve Django's own fields (admin) and say the same order.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = r"\t\há\n\g m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
# Groups of three digits wherever grouping is asked for (intcomma, floatformat:"g",
# number_format(force_grouping=True)). Plain {{ n }} stays ungrouped
# (USE_THOUSAND_SEPARATOR is off) so years, ids and query strings are never "2.026".
NUMBER_GROUPING = 3
