"""From potential to clusters: the step from the seed's Table 3.1 to its Figure 1.

The seed reads Table 3.1 (integral coefficients of cluster-formation potential, Ki) region by region
and proposes four inter-regional clusters (Figure 1): agro-industrial (Chui, Talas, Issyk-Kul),
building materials (Osh oblast, Batken), fuel and energy (Chui, Jalal-Abad), textile and garment
(Chui, Bishkek, Osh oblast). This module makes that step repeatable:

* a cluster type is a set of sectors (`cluster_sectors`; the seed's four types by default, from
  ``xlkg/data/cluster_sectors.csv``, or the user's own mapping);
* a region supports a cluster type where its Ki exceeds the threshold (default 1, as the seed reads
  Table 3.1) in at least one of the type's sectors;
* `propose_clusters` lists, per cluster type, the supporting regions grouped by neighbourhood
  (regions that border each other, Bishkek inside Chui and Osh city inside Osh oblast, from
  ``xlkg/data/region_neighbours.csv``), each with its best sector and Ki;
* `compare_clusters` sets a proposal (by default the seed's Figure 1) against the numbers: which of
  its regions the numbers support, which it adds without support, which supported regions it leaves out.

The tool proposes, the economist decides: Figure 1 names regions that no threshold gives (Issyk-Kul in
the agro-industrial cluster, Ki 0.221) and leaves out regions the numbers support (Chui in building
materials, Ki 1.775). Both are stated, never hidden.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from xlkg.core.measures import as_matrix, as_scalar
from xlkg.core.regions import LANGS, glossary, match_key, region_key
from xlkg.core.result import InputError, Result
from xlkg.data import rows as data_rows

SUPPORTED = "supported"          # in the proposal, and the numbers support it
PROPOSAL_ONLY = "proposal only"  # in the proposal, but Ki <= threshold in every sector of the type
NUMBERS_ONLY = "numbers only"    # the numbers support it, the proposal leaves it out
STATUSES = (SUPPORTED, PROPOSAL_ONLY, NUMBERS_ONLY)


def _fold(text) -> str:
    return " ".join(str(text).replace("ё", "е").split()).casefold()


@lru_cache(maxsize=1)
def _names_by_prefix() -> dict[str, dict[str, str]]:
    """prefix ("sector", "cluster") -> {folded name or key suffix: glossary key}."""
    out: dict[str, dict[str, str]] = {"sector": {}, "cluster": {}}
    for key, names in glossary().items():
        prefix, _, suffix = key.partition(".")
        if prefix in out:
            table = out[prefix]
            table[_fold(suffix)] = key
            table[_fold(suffix.replace("_", " "))] = key
            for lang in LANGS:
                table[_fold(names[lang])] = key
    return out


def _key(label, prefix: str) -> str:
    """The glossary key a sector or cluster label names (any language, or the key itself), else the label."""
    folded = _fold(label)
    if folded.startswith(prefix + "."):
        folded = folded[len(prefix) + 1:]
    return _names_by_prefix()[prefix].get(folded, "label:" + _fold(label))


def sector_key(label) -> str:
    """The matching key of a sector label: its glossary key (sector.*) in any language, else the folded label."""
    return _key(label, "sector")


def cluster_key(label) -> str:
    """The matching key of a cluster-type label: its glossary key (cluster.*), else the folded label."""
    return _key(label, "cluster")


def _split(text) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]+", str(text)) if p.strip()]


def _two_column_pairs(rows, arg: str, what: str) -> list[tuple[str, str]]:
    """Rows of 'cluster type | items' (items separated by ";"; blank rows skipped) -> (type, item) pairs."""
    rows = rows.reset_index().to_numpy().tolist() if isinstance(rows, pd.DataFrame) else list(rows)
    pairs = []
    for i, row in enumerate(rows, start=1):
        cells = [c for c in row if c is not None and str(c).strip() != ""]
        if not cells:
            continue
        if len(cells) != 2:
            raise InputError(f"{arg}, row {i}: expected a cluster type and its {what}, got {cells!r}")
        pairs.extend((str(cells[0]).strip(), item) for item in _split(cells[1]))
    return pairs


def cluster_sectors(mapping=None, *, arg: str = "mapping") -> list[tuple[str, str]]:
    """The (cluster type, sector) pairs: the seed's four types by default, else `mapping`.

    `mapping` is a DataFrame or a list of rows with the cluster type in the first column and a sector
    (or several, separated by ";") in the second; the first row may be a header. Labels may be in any
    language or be glossary keys (``cluster.fuel_energy``, ``sector.electricity``).
    """
    if mapping is None:
        return [(r["cluster_key"], r["sector_key"]) for r in data_rows("cluster_sectors.csv")]
    pairs = _two_column_pairs(mapping, arg, "sector(s)")
    if pairs and cluster_key(pairs[0][0]).startswith("label:") and sector_key(pairs[0][1]).startswith("label:") \
            and len({c for c, _ in pairs}) > 1:
        first = pairs[0]
        if not any(sector_key(s) == sector_key(first[1]) for _, s in pairs[1:]):
            pairs = [p for p in pairs if p != first]  # a header row such as "Cluster | Sector"
    if not pairs:
        raise InputError(f"{arg}: no cluster type with a sector; give rows of 'cluster type | sector'")
    return pairs


def _rkey(label) -> str | None:
    """The region key of a label in any language, or the label itself when it is a glossary key ("region.chui")."""
    text = str(label).strip()
    return text if text.startswith("region.") and text in glossary() else region_key(label)


@lru_cache(maxsize=1)
def neighbours() -> dict[str, frozenset[str]]:
    """Region key -> the region keys it borders or contains / lies inside (symmetric)."""
    out: dict[str, set[str]] = {}
    for r in data_rows("region_neighbours.csv"):
        a, b = r["region_key"], r["neighbour_key"]
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def neighbour_groups(labels) -> list[list]:
    """The labels split into groups of neighbours (connected through borders; cities with their oblast).

    Order is kept: groups in the order of their first label, labels in their given order. Labels that
    are not Kyrgyz regions each form a group of their own.
    """
    labels = list(labels)
    keys = [_rkey(x) for x in labels]
    nb = neighbours()
    group = list(range(len(labels)))

    def find(i):
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i in range(len(labels)):
        for j in range(i):
            if keys[i] and keys[j] and keys[j] in nb.get(keys[i], ()):
                group[find(i)] = find(j)
    out: dict[int, list] = {}
    for i, label in enumerate(labels):
        out.setdefault(find(i), []).append(label)
    return list(out.values())


def _support(potential, mapping, threshold):
    """Per cluster type: {region label: (best sector label, best Ki)} over the type's sectors with Ki > threshold."""
    frame, arr = as_matrix(potential, arg="potential",
                           nonnegative=False)
    thr = as_scalar(threshold, arg="threshold", nonnegative=False)
    pairs = cluster_sectors(mapping)
    col_by_key = {}
    for j, c in enumerate(frame.columns):
        col_by_key.setdefault(sector_key(c), j)
    types: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    unmatched = []
    for ctype, sector in pairs:
        ck = cluster_key(ctype)
        labels.setdefault(ck, ctype)
        types.setdefault(ck, [])
        j = col_by_key.get(sector_key(sector))
        if j is None:
            unmatched.append(sector)
        elif j not in types[ck]:
            types[ck].append(j)
    notes = []
    if unmatched:
        notes.append("sectors of the mapping not in the potential table: " + ", ".join(dict.fromkeys(unmatched)))
    support = {}
    for ck, cols in types.items():
        found = {}
        if cols:
            sub = arr[:, cols]
            with np.errstate(invalid="ignore"):
                best = np.where(np.isnan(sub), -np.inf, sub).argmax(axis=1)
            ki = sub[np.arange(len(sub)), best]
            with np.errstate(invalid="ignore"):
                ok = ki > thr
            for i in np.flatnonzero(ok):
                found[frame.index[i]] = (frame.columns[cols[best[i]]], float(ki[i]))
        support[ck] = found
    return frame, thr, labels, support, notes


def propose_clusters(potential, mapping=None, threshold: float = 1.0) -> Result:
    """Inter-regional clusters proposed by the numbers: per cluster type, the regions with Ki > threshold in
    one of its sectors, grouped by neighbourhood.

    Returns Result(values=DataFrame with columns cluster, group, region, sector, potential): cluster types in
    the order of the mapping (a type's label is its glossary key for the default mapping), groups numbered
    1, 2, ... by their best Ki, regions by Ki descending; the sector is the region's best sector of the type.
    `notes` names cluster types no region supports and mapping sectors missing from the table.
    """
    _, thr, labels, support, notes = _support(potential, mapping, threshold)
    rows = []
    for ck, found in support.items():
        if not found:
            notes.append(f"no region above {thr:g} for {labels[ck]}")
            continue
        ordered = sorted(found, key=lambda r: -found[r][1])
        groups = sorted(neighbour_groups(ordered), key=lambda g: -max(found[r][1] for r in g))
        for g, members in enumerate(groups, start=1):
            for region in sorted(members, key=lambda r: -found[r][1]):
                rows.append((labels[ck], g, region, found[region][0], found[region][1]))
    values = pd.DataFrame(rows, columns=["cluster", "group", "region", "sector", "potential"])
    method = (f"cluster proposal: per cluster type, regions with Ki > {thr:g} in one of its sectors, grouped by "
              "shared borders (cities with their oblast); source: the seed's step from Table 3.1 to Figure 1")
    return Result(values, None, method, notes)


def seed_figure_1() -> list[tuple[str, str]]:
    """The seed's Figure 1 as (cluster type key, region key) pairs."""
    return [(r["cluster_key"], reg) for r in data_rows("seed_figure_1_clusters.csv") for reg in r["regions"].split(";")]


def _proposal_pairs(proposal, arg: str = "proposal") -> list[tuple[str, str]]:
    if proposal is None:
        return seed_figure_1()
    pairs = _two_column_pairs(proposal, arg, "region(s)")
    if pairs and region_key(pairs[0][1]) is None and cluster_key(pairs[0][0]).startswith("label:"):
        pairs = pairs[1:] if any(region_key(r) for _, r in pairs[1:]) else pairs  # a header row
    if not pairs:
        raise InputError(f"{arg}: no cluster with a region; give rows of 'cluster type | region(s)'")
    return pairs


def _region_match(label) -> str:
    """match_key, with glossary keys ("region.chui", as the bundled Figure 1 names regions) taken as they are."""
    return _rkey(label) or match_key(label)


def compare_clusters(potential, proposal=None, mapping=None, threshold: float = 1.0) -> Result:
    """A proposal of clusters (by default the seed's Figure 1) set against the numbers.

    Returns Result(values=DataFrame with columns cluster, region, status, sector, potential), per cluster
    type of the mapping: the proposal's regions first (status "supported" or "proposal only"), then the
    regions the numbers support that the proposal leaves out ("numbers only"). `sector`/`potential` give
    the region's best sector of the type and its Ki (NaN where the table has no value). Regions are matched
    in any language; cluster types by their glossary names or keys.
    """
    frame, thr, labels, support, notes = _support(potential, mapping, threshold)
    pairs = _proposal_pairs(proposal)
    frame_by_key = {_region_match(r): r for r in frame.index}
    pot = frame.to_numpy(dtype=float)
    proposed: dict[str, list] = {}
    unknown = []
    for ctype, region in pairs:
        ck = cluster_key(ctype)
        if ck not in support:
            unknown.append(ctype)
            continue
        proposed.setdefault(ck, []).append(region)
    if unknown:
        notes.append("cluster types of the proposal not in the mapping: " + ", ".join(dict.fromkeys(unknown)))
    sector_cols = {}
    for ctype, sector in cluster_sectors(mapping):
        cols = [j for j, c in enumerate(frame.columns) if sector_key(c) == sector_key(sector)]
        sector_cols.setdefault(cluster_key(ctype), []).extend(cols)
    rows = []
    for ck, found in support.items():
        found_by_key = {_region_match(r): r for r in found}
        listed = set()
        for region in proposed.get(ck, []):
            mk = _region_match(region)
            listed.add(mk)
            if mk in found_by_key:
                sector, ki = found[found_by_key[mk]]
                rows.append((labels[ck], found_by_key[mk], SUPPORTED, sector, ki))
                continue
            label = frame_by_key.get(mk, glossary()[mk]["en"] if mk in glossary() else region)
            sector, ki = None, np.nan
            cols = sector_cols.get(ck, [])
            if mk in frame_by_key and cols:
                i = list(frame.index).index(frame_by_key[mk])
                vals = pot[i, cols]
                if not np.isnan(vals).all():
                    j = int(np.nanargmax(vals))
                    sector, ki = frame.columns[cols[j]], float(vals[j])
            rows.append((labels[ck], label, PROPOSAL_ONLY, sector, ki))
        for region in sorted(found, key=lambda r: -found[r][1]):
            if _region_match(region) not in listed:
                rows.append((labels[ck], region, NUMBERS_ONLY, found[region][0], found[region][1]))
    values = pd.DataFrame(rows, columns=["cluster", "region", "status", "sector", "potential"])
    source = "the seed's Figure 1" if proposal is None else "the given proposal"
    method = (f"cluster check: {source} against Ki > {thr:g} in a sector of each cluster type; "
              f"'{SUPPORTED}': in the proposal and supported, '{PROPOSAL_ONLY}': in the proposal, not supported, "
              f"'{NUMBERS_ONLY}': supported, left out of the proposal")
    return Result(values, None, method, notes)
