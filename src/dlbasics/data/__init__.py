"""Data layer: the IDX reader, Fashion-MNIST and Ames sources, and the homework's splits."""

from dlbasics.data.options import DataOptions
from dlbasics.data.types import Ames, Dataset, FashionMNIST

__all__ = ["Ames", "DataOptions", "Dataset", "FashionMNIST"]
