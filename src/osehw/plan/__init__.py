"""The network planner (`osehw plan`): sites over a region, candidate links between neighbours, each site's
tower height and node class, the national rollup. Numbers only: no CadQuery object is made here, so every
step can run on a Dask worker."""
