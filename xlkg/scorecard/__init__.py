"""The balanced scorecard of a cluster: computed from the participants' data (compute), laid out in a
template (layout, templates), filled from an input workbook (reader, plan) and written without loss
(writer)."""
