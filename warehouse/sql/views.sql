-- Views of the wiredesk warehouse.  `{root}` is replaced by the data directory's absolute path.
-- Raw tables are append-only Parquet files; these views are where deduplication happens.

-- Every stored version of every article.
CREATE OR REPLACE VIEW article_versions AS
SELECT * FROM read_parquet('{root}/articles/*.parquet', union_by_name = true);

-- The latest version of each article: the table people query.
CREATE OR REPLACE VIEW articles AS
SELECT * FROM article_versions
QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY fetched_at DESC, run_id DESC, content_hash) = 1;

-- Provenance evidence of the latest version of each article.
CREATE OR REPLACE VIEW article_credits AS
SELECT c.* FROM read_parquet('{root}/article_credits/*.parquet', union_by_name = true) AS c
SEMI JOIN articles AS a ON a.article_id = c.article_id AND a.content_hash = c.content_hash;

CREATE OR REPLACE VIEW fetches AS
SELECT * FROM read_parquet('{root}/fetches/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW rejected_articles AS
SELECT * FROM read_parquet('{root}/rejected_articles/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW duplicate_articles AS
SELECT * FROM read_parquet('{root}/duplicate_articles/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW quality_results AS
SELECT * FROM read_parquet('{root}/quality_results/*.parquet', union_by_name = true);

CREATE OR REPLACE VIEW runs AS
SELECT * FROM read_parquet('{root}/runs/*.parquet', union_by_name = true);
