"""The contract: record types, Arrow schemas, views and `wiredesk schema` stay in sync."""

import dataclasses

import pytest

from flows.cli import main
from warehouse.schema import TABLES, arrow_schema
from warehouse.store import Warehouse


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_has_a_type_and_a_description(table):
    record_type = TABLES[table]
    fields = dataclasses.fields(record_type)
    schema = arrow_schema(record_type)
    assert [f.name for f in fields] == schema.names
    for f in schema:
        description = f.metadata[b"description"].decode()
        assert len(description) > 10, f"{table}.{f.name} needs a description"
    assert schema.metadata[b"description"]


def test_views_expose_exactly_the_declared_columns(tmp_path):
    store = Warehouse(tmp_path)
    store.ensure()
    with store.connect() as con:
        for table, record_type in TABLES.items():
            columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
            assert columns == arrow_schema(record_type).names, table
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_schema_command_prints_every_table_and_column(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    for table, record_type in TABLES.items():
        assert f"{table}:" in out
        for name in arrow_schema(record_type).names:
            assert f"  {name} " in out
