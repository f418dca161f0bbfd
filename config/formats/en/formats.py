# The English counterpart of config/formats/ja: the same 24-hour clock.
DATETIME_FORMAT = "N j, Y, H:i"
