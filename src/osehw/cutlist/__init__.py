"""Linear stock: which pieces come out of which bar (the 1-D cutting-stock plan) and its drawing."""
