# Django's Japanese DATETIME_FORMAT glues date and time ("2025年4月1日9:30"); officials write a space
# and two-digit hours. Every other format comes from django.conf.locale.ja.
DATETIME_FORMAT = "Y年n月j日 H:i"
