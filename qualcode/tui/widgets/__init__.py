"""Widgets and modal dialogs of the qualcode app."""
