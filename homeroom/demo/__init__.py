"""A synthetic demo district: OneRoster files to try Homeroom with, and the `make run` setup around them."""

from homeroom.demo.generator import DemoSummary, default_school_year, generate_district

__all__ = ["DemoSummary", "default_school_year", "generate_district"]
