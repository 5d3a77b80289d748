"""The catalogs under ``bom/``: purchased items and equipment (CSV), sheet materials (one YAML file
each, every fact about the material in one place) and linear stock profiles (CSV)."""

from osehw.catalog.items import CatalogItem, Equipment, equipment, item, items
from osehw.catalog.materials import (
    CatalogError,
    Material,
    SheetStock,
    find_sheet,
    material,
    materials,
    sheet_stock,
    stock_thicknesses,
)
from osehw.catalog.stock import StockProfile, stock_profile, stock_profiles

__all__ = ["CatalogError", "CatalogItem", "Equipment", "Material", "SheetStock", "StockProfile", "equipment",
           "find_sheet", "item", "items", "material", "materials", "sheet_stock", "stock_profile", "stock_profiles",
           "stock_thicknesses"]
