"""geokg: machinery for the geopolitical-relations knowledge graph."""

__version__ = "0.1.0"
