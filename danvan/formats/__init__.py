"""The site's own date and number formats (settings.FORMAT_MODULE_PATH).

One way for everyone, whatever language the browser asks for: dates dd/mm/yyyy,
months "tháng MM/yyyy", numbers 1.234.567 and 12,5.
"""
