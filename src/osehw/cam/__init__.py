"""CAM: sheet part solids → 2.5D features → toolpaths → nested sheets → G-code."""
