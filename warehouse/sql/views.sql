-- Views of the wiredesk warehouse.  `{root}` is replaced by the data directory's absolute path.
-- Raw tables are append-only Parquet files; these views are where deduplication happens.

-- Every stored version of every article.
CREATE OR REPLACE VIEW article_versions AS
SELECT * FROM read_parquet('{root}/articles/*.parquet', union_by_name = true);

-- Versions a later version replaced, recorded when the later one was written (warehouse/latest.py).
CREATE OR REPLACE VIEW article_supersessions AS
SELECT * FROM read_parquet('{root}/article_supersessions/*.parquet', union_by_name = true);

-- The latest version of each article: the table people query.  Deciding "latest" at write
-- time keeps this an anti-join instead of a window over every version (bench/query.py).
CREATE OR REPLACE VIEW articles AS
SELECT v.* FROM article_versions AS v
ANTI JOIN article_supersessions AS s ON s.article_id = v.article_id AND s.content_hash = v.content_hash;

-- Provenance evidence of the latest version of each article.
CREATE OR REPLACE VIEW article_credits AS
-- Credits are written only for stored versions, so "latest" is "not replaced": no need to
-- go through the articles view.
SELECT c.* FROM read_parquet('{root}/article_credits/*.parquet', union_by_name = true) AS c
ANTI JOIN article_supersessions AS s ON s.article_id = c.article_id AND s.content_hash = c.content_hash;

-- Date candidates of the latest version of each article (written, like credits, only for stored versions).
CREATE OR REPLACE VIEW article_dates AS
SELECT d.* FROM read_parquet('{root}/article_dates/*.parquet', union_by_name = true) AS d
ANTI JOIN article_supersessions AS s ON s.article_id = d.article_id AND s.content_hash = d.content_hash;

CREATE OR REPLACE VIEW fetches AS
SELECT * FROM read_parquet('{root}/fetches/*.parquet', union_by_name = true);

-- URLs a run did not fetch and why (repeated, stored, permanent_failure).
CREATE OR REPLACE VIEW skipped_urls AS
SELECT * FROM read_parquet('{root}/skipped_urls/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW rejected_articles AS
SELECT * FROM read_parquet('{root}/rejected_articles/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW duplicate_articles AS
SELECT * FROM read_parquet('{root}/duplicate_articles/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW quality_results AS
SELECT * FROM read_parquet('{root}/quality_results/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW runs AS
SELECT * FROM read_parquet('{root}/runs/*.parquet', union_by_name = true);

-- The raw archive's index: one row per archived HTTP response (tasks/archive.py).
CREATE OR REPLACE VIEW raw_responses AS
SELECT * FROM read_parquet('{root}/raw_responses/*.parquet', union_by_name = true);
