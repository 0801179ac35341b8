-- Signaal schema 5: quarterly numbers (PROTOCOL.md §8, docs/statistics.md).
-- Portable SQL: integer days, no time of day anywhere.

-- The day a report was withdrawn (PROTOCOL.md §7; set by mark_withdrawn),
-- NULL while it is kept. A day, never a time of day: the withdrawn/kept table
-- counts a report as withdrawn when this day is on or before a quarter's
-- cut-off. Its kind stays readable after a withdrawal: a count-only report
-- has no desks (desks = ''), a report with text always keeps at least one.
ALTER TABLE reports ADD COLUMN withdrawn_day INTEGER;

-- A frozen quarter ('YYYY-Qn'): computed once, on or after its freeze day,
-- and never again. k is the threshold its cells were suppressed with; every
-- later answer shows them with that k, so a changed config cannot publish a
-- second, differently suppressed version of the same quarter.
CREATE TABLE stats_quarters (
    quarter TEXT PRIMARY KEY CHECK (length(quarter) = 7),
    k       INTEGER NOT NULL CHECK (k >= 3)
);

-- A frozen quarter's published cells, exactly as answered, in answer order
-- (the CSV rows of PROTOCOL.md §8): the populations are rows of table 'n' and
-- 'routed' with cell 'all'; desk is '' for the quarter-wide tables; count is
-- NULL for a suppressed cell ("<k"). Only what is published is kept: no raw
-- small count outlives the reports it counted.
CREATE TABLE stats_cells (
    quarter    TEXT NOT NULL REFERENCES stats_quarters (quarter),
    position   INTEGER NOT NULL CHECK (position >= 0),
    table_name TEXT NOT NULL,
    desk       TEXT NOT NULL,
    cell       TEXT NOT NULL,
    count      INTEGER CHECK (count >= 0),
    PRIMARY KEY (quarter, position)
);
