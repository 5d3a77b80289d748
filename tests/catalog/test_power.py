"""Power-system catalogs: every component priced with a source and a date, datasheet rows that agree
with what the models assume."""

import pytest

from osehw import catalog
from osehw.catalog import power


@pytest.mark.parametrize("table", [power.modules, power.batteries, power.controllers])
def test_every_component_has_a_dated_price_with_its_source(table):
    for cid in table():
        item = catalog.item(cid)
        assert item.unit_cost > 0 and item.source and len(item.source_date) == 7, cid  # YYYY-MM
        assert item.confidence in ("estimate", "quote", "datasheet"), cid


def test_controllers_and_blocks_suit_the_bank_voltages():
    for c in power.controllers().values():
        assert set(c.battery_voltages) <= {12, 24, 48} and 0.9 <= c.efficiency <= 1.0, c.id
    for b in power.batteries().values():
        assert b.block_v == 12 and b.chemistry == "AGM", b.id  # the bank model is 12 V AGM blocks


def test_the_rack_items_are_priced():
    for cid in ("bolt-m8x25-ss-set", "clamp-pv-mid", "clamp-pv-end", "anchor-earth-30in"):
        assert catalog.item(cid).source_date == "2025-06"


def test_loads_name_their_source():
    loads = power.electrical_loads()
    assert all(ld.source for ld in loads.values())
    # the router's draw is its datasheet maximum, the same figure as the heat it gives off in the enclosure
    assert loads["mikrotik-hex-poe"].average_w == catalog.equipment()["mikrotik-hex-poe"].heat_w
