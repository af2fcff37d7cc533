"""hitz-kg: a knowledge graph of China's national high-tech industrial development zones."""

__version__ = "0.1.0"
