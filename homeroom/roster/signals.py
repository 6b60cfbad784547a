"""Signals the roster sends so that downstream apps can react without the roster importing them."""

from django.dispatch import Signal

# Sent after an import changed the roster and its transaction committed; kwargs: district_id.
roster_imported = Signal()
