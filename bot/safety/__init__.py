"""Checks that keep patient-identifiable details out of what people save (issue 13, section 3)."""
