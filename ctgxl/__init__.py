"""ctgxl — le plan d'actions CTG dans Excel, sans en perdre le contrôle.

The package imports nothing heavy at start-up: pandas, pandera and openpyxl
are imported by the functions that need them.
"""

__version__ = "0.1.0"
