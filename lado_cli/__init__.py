"""lado: record allegations against adults who work with children and track every time limit."""

__version__ = "0.1.0"
