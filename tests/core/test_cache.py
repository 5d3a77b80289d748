"""The stage cache: content keys, atomic entries, misses on anything odd, and a CAM stage served from it."""

import pickle

import pytest

from osehw.core.cache import MAX_ENTRIES, StageCache, stage_key


def test_keys_change_with_every_input_and_not_otherwise():
    base = stage_key("cam", "d", [1.0, 2.0])
    assert stage_key("cam", "d", [1.0, 2.0]) == base
    assert stage_key("cam", "d", [1.0, 2.5]) != base
    assert stage_key("other", "d", [1.0, 2.0]) != base


def test_round_trip_and_misses(tmp_path):
    cache = StageCache(tmp_path)
    key = stage_key("cam", "x")
    assert cache.get("cam", key) is None
    cache.put("cam", key, {"a": [1, 2, 3]})
    assert cache.get("cam", key) == {"a": [1, 2, 3]}
    entry = next(tmp_path.glob("cam/*/*.pickle"))
    entry.write_bytes(entry.read_bytes()[:5])  # truncated: a miss, and the entry is dropped
    assert cache.get("cam", key) is None and not entry.exists()
    assert not list(tmp_path.glob("cam/*/.tmp-*"))


def test_a_disabled_or_unwritable_cache_is_no_error(tmp_path):
    StageCache(None).put("cam", "k" * 64, 1)
    assert StageCache(None).get("cam", "k" * 64) is None
    (tmp_path / "file").write_text("not a folder")
    StageCache(tmp_path / "file").put("cam", "k" * 64, 1)  # cannot mkdir under a file: silently not stored
    StageCache(tmp_path).put("cam", "k" * 64, lambda: 0)  # cannot pickle: not stored, no temp file left
    assert not list(tmp_path.rglob(".tmp-*")) and StageCache(tmp_path).get("cam", "k" * 64) is None


def test_the_oldest_entries_go_beyond_the_cap(tmp_path):
    cache = StageCache(tmp_path)
    for i in range(MAX_ENTRIES + 3):
        cache.put("s", stage_key("s", i), i)
    assert len(list(tmp_path.glob("s/*/*.pickle"))) == MAX_ENTRIES


@pytest.fixture(scope="module")
def cached_cam(tmp_path_factory):
    from osehw.pipeline import BuildPipeline, load

    root = tmp_path_factory.mktemp("cache")
    messages: list[str] = []
    pipe = BuildPipeline(progress=messages.append, machines=["grbl-hobby-800"], cache=StageCache(root))
    first = pipe.run(pipe.start(load("node-enclosure")), "cam")
    hot = len(messages)
    warm = pipe.run(pipe.start(load("node-enclosure", {"solar_gain_w": 5.0})), "cam")  # CAM does not read it
    changed = pipe.run(pipe.start(load("node-enclosure", {"vent": False})), "cam")  # a hole fewer
    return first, warm, changed, messages[hot:], root


def test_a_parameter_cam_does_not_read_takes_cam_from_the_cache(cached_cam):
    first, warm, _, messages, _ = cached_cam
    assert "node-enclosure: CAM unchanged, from the cache" in messages
    assert [p.text for s in warm.cam.sheets for p in s.programs] == [p.text for s in first.cam.sheets
                                                                       for p in s.programs]


def test_a_parameter_that_changes_a_part_runs_cam_again(cached_cam):
    first, _, changed, messages, root = cached_cam
    assert messages.count("node-enclosure: CAM unchanged, from the cache") == 1
    assert [p.text for s in changed.cam.sheets for p in s.programs] != [p.text for s in first.cam.sheets
                                                                          for p in s.programs]
    assert len(list(root.glob("cam/*/*.pickle"))) == 2
    entry = pickle.loads(next(root.glob("cam/*/*.pickle")).read_bytes())
    assert entry.sheets and entry.sheets[0].programs[0].report.findings is not None
