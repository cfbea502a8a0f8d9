//! The SQLite and PostgreSQL migration trees must build the same schema: the same tables, the
//! same columns with the same types (after the known substitutions, INTEGER for BIGINT and BLOB
//! for BYTEA) and nullability, the same primary keys, unique constraints and indexes. Each tree
//! is applied to a real database and read back from its catalog, so a column added to one tree
//! only is caught here rather than in production.

use std::collections::BTreeMap;

use forewarn_store::Store;
use forewarn_test_support::TestDatabase;
use sqlx::Connection;

/// One table as the catalog describes it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// column → (type, nullable)
    columns: BTreeMap<String, (String, bool)>,
    primary_key: Vec<String>,
    /// Column lists of the unique constraints, sorted.
    unique: Vec<Vec<String>>,
}

/// One index made with CREATE INDEX.
#[derive(Debug, PartialEq, Eq)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Table>,
    indexes: BTreeMap<String, Index>,
}

/// The PostgreSQL spelling of a SQLite column type.
fn as_postgres(sqlite_type: &str) -> String {
    match sqlite_type.to_ascii_uppercase().as_str() {
        "INTEGER" => "bigint".to_owned(),
        "BLOB" => "bytea".to_owned(),
        other => other.to_ascii_lowercase(),
    }
}

async fn sqlite_schema(url: &str) -> Schema {
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut schema = Schema::default();
    for (table,) in names {
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut described = Table::default();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (name, kind, not_null, pk) in columns {
            // A primary key column cannot hold NULL in PostgreSQL whether declared so or not.
            described
                .columns
                .insert(name.clone(), (as_postgres(&kind), not_null == 0 && pk == 0));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        described.primary_key = key.into_iter().map(|(_, name)| name).collect();
        let indexes: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for (index, unique, origin, partial) in indexes {
            let columns: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            let columns: Vec<String> = columns.into_iter().map(|(c,)| c).collect();
            match origin.as_str() {
                "c" => {
                    schema.indexes.insert(
                        index,
                        Index {
                            table: table.clone(),
                            columns,
                            unique: unique != 0,
                            partial: partial != 0,
                        },
                    );
                }
                "u" => described.unique.push(columns),
                _ => {}
            }
        }
        described.unique.sort();
        schema.tables.insert(table, described);
    }
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut schema = Schema::default();
    for (table, column, kind, nullable) in columns {
        schema
            .tables
            .entry(table)
            .or_default()
            .columns
            .insert(column, (kind, nullable == "YES"));
    }
    let constrained: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, tc.constraint_name::text, tc.constraint_type::text, \
                kcu.column_name::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') \
           AND tc.table_name NOT LIKE '\\_sqlx%' \
         ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut unique: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (table, constraint, kind, column) in constrained {
        if kind == "PRIMARY KEY" {
            if let Some(t) = schema.tables.get_mut(&table) {
                t.primary_key.push(column);
            }
        } else {
            unique.entry((table, constraint)).or_default().push(column);
        }
    }
    for ((table, _), columns) in unique {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.unique.push(columns);
        }
    }
    for table in schema.tables.values_mut() {
        table.unique.sort();
    }
    let indexes: Vec<(String, String, bool, bool, String)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                array_to_string(ARRAY( \
                    SELECT a.attname::text \
                    FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                    ORDER BY k.n), ',') \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         WHERE ns.nspname = 'public' AND t.relname NOT LIKE '\\_sqlx%' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for (index, table, unique, partial, columns) in indexes {
        schema.indexes.insert(
            index,
            Index {
                table,
                columns: columns.split(',').map(str::to_owned).collect(),
                unique,
                partial,
            },
        );
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite = TestDatabase::sqlite();
    Store::connect(sqlite.url()).await.unwrap();
    let on_sqlite = sqlite_schema(sqlite.url()).await;
    assert!(
        on_sqlite.tables.len() > 10 && on_sqlite.indexes.len() > 10,
        "the catalog was read: {on_sqlite:#?}"
    );
    let Some(postgres) = TestDatabase::postgres().await else {
        return;
    };
    Store::connect(postgres.url()).await.unwrap();
    let on_postgres = postgres_schema(postgres.url()).await;
    let tables: Vec<&String> = on_sqlite.tables.keys().collect();
    assert_eq!(
        tables,
        on_postgres.tables.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (name, table) in &on_sqlite.tables {
        assert_eq!(
            Some(table),
            on_postgres.tables.get(name),
            "table {name} differs between the SQLite and PostgreSQL migrations"
        );
    }
    assert_eq!(
        on_sqlite.indexes, on_postgres.indexes,
        "the same indexes on both"
    );
}
