"""Capacity: each site's busy-hour demand routed to its nearest gateway over the mesh (fewest hops; networkx
multi-source Dijkstra, Dijkstra 1959 on unit weights), each link's load against its radio's capacity at the
modulation it runs, and the sites whose traffic cannot be carried.

The routes form a shortest-path forest rooted at the gateways, so a link's load is the demand of every site
beyond it: summed leaf to root in one pass (farthest sites first). A site is unserved when no gateway reaches it
or when its route crosses a link loaded past its capacity. This is a single-path, no-load-balancing model:
it shows where the mesh is short, not the best the mesh could do with traffic engineering.

Runs in the driver over the whole graph (routing is global; the per-partition work is the links' physics).
"""

from __future__ import annotations

import pandas as pd


def route(sites: pd.DataFrame, links: pd.DataFrame, demand_mbps: float,
          capacity_by_modulation: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sites with hops, gateway_route, served; links with load_mbps, capacity_mbps, utilisation)."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(sites.id))
    usable = links[links.modulation != ""]
    g.add_edges_from(sorted(zip(usable.a, usable.b)))
    gateways = sorted(sites.id[sites.gateway])
    paths: dict[str, list[str]] = {}
    if gateways:
        _, paths = nx.multi_source_dijkstra(g, gateways, weight=lambda u, v, d: 1)
    parent = {n: p[-2] for n, p in paths.items() if len(p) > 1}
    below = {n: demand_mbps for n in paths}
    for n in sorted(paths, key=lambda n: (-len(paths[n]), n)):  # farthest first: a child before its parent
        if n in parent:
            below[parent[n]] += below[n]
    edge_load = {tuple(sorted((n, p))): below[n] for n, p in parent.items()}
    cap = [capacity_by_modulation.get(m, 0.0) for m in links.modulation]
    load = [edge_load.get((a, b), 0.0) for a, b in zip(links.a, links.b)]
    out_links = links.assign(load_mbps=load, capacity_mbps=cap,
                             utilisation=[ld / c if c > 0 else (0.0 if ld == 0 else float("inf"))
                                          for ld, c in zip(load, cap)])
    over = {e for e, ld, c in zip(zip(out_links.a, out_links.b), load, cap) if ld > c}

    def carried(n: str) -> bool:
        p = paths.get(n)
        return p is not None and not any(tuple(sorted(e)) in over for e in zip(p, p[1:]))

    out_sites = sites.assign(hops=[len(paths[n]) - 1 if n in paths else -1 for n in sites.id],
                             gateway_route=[paths[n][0] if n in paths else "" for n in sites.id],
                             served=[carried(n) for n in sites.id])
    return out_sites, out_links
