"""Text normalisation and the keyword scanner of online-trade monitoring (no Django models here)."""
