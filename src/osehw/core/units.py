"""Unit constants. Internal units are mm, degrees, W, Wh, USD, kg."""

MM = 1.0
CM = 10.0 * MM
M = 1000.0 * MM
IN = 25.4 * MM
FT = 12 * IN
M2_PER_MM2 = 1e-6
